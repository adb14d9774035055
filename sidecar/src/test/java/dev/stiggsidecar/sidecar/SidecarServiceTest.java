package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.emulator.faults.Faults;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stigg.sidecar.proto.v1.AccessDeniedReason;
import io.stigg.sidecar.proto.v1.BooleanEntitlementFallback;
import io.stigg.sidecar.proto.v1.BooleanEntitlementOptions;
import io.stigg.sidecar.proto.v1.EntitlementResetPeriod;
import io.stigg.sidecar.proto.v1.EnumEntitlementOptions;
import io.stigg.sidecar.proto.v1.Event;
import io.stigg.sidecar.proto.v1.EventDimensionValue;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementOptions;
import io.stigg.sidecar.proto.v1.GetEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementV2Request;
import io.stigg.sidecar.proto.v1.GetEntitlementsRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementsResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementsStateV2Request;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import io.stigg.sidecar.proto.v1.ReloadEntitlementsRequest;
import io.stigg.sidecar.proto.v1.ReportEventsRequest;
import io.stigg.sidecar.proto.v1.ReportUsageBulkRequest;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import io.stigg.sidecar.proto.v1.UsageUpdateBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every RPC of the sidecar, over a real socket, against the emulator's sample catalog. */
class SidecarServiceTest {

  private static final String KEY = "service-test-key";

  private StiggEmulator emulator;
  private SidecarHarness sidecar;

  @BeforeEach
  void start() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    sidecar = SidecarHarness.start(emulator.baseUri(), KEY,
        Map.of("ENTITLEMENTS_FALLBACK", "{\"feature-seats\":{\"hasAccess\":true,\"value\":7}}"));
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
    emulator.close();
  }

  @Test
  void typedChecksAnswerFromStiggsEntitlements() {
    var sso = sidecar.blocking().getBooleanEntitlement(bool("acme", "feature-sso"));
    var seats = sidecar.blocking().getNumericEntitlement(
        GetNumericEntitlementRequest.newBuilder().setCustomerId("acme").setFeatureId("feature-seats").build());
    var calls = metered("acme", "feature-api-calls", 5);
    var region = sidecar.blocking().getEnumEntitlement(GetEnumEntitlementRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-region").setOptions(EnumEntitlementOptions.newBuilder().addRequestedValues("eu")).build());

    assertThat(sso.getHasAccess()).isTrue();
    assertThat(sso.getIsFallback()).isFalse();
    assertThat(sso.hasAccessDeniedReason()).isFalse();
    assertThat(sso.getEntitlement().getFeature().getId()).isEqualTo("feature-sso");
    assertThat(seats.getHasAccess()).isTrue();
    assertThat(seats.getEntitlement().getValue()).isEqualTo(25);
    assertThat(seats.getEntitlement().getFeature().getUnits()).isEqualTo("seat");
    assertThat(calls.getHasAccess()).isTrue();
    assertThat(calls.getRequestedUsage()).isEqualTo(5);
    assertThat(calls.getEntitlement().getUsageLimit()).isEqualTo(10_000);
    assertThat(calls.getEntitlement().getCurrentUsage()).isEqualTo(1_200);
    assertThat(calls.getEntitlement().getResetPeriod()).isEqualTo(EntitlementResetPeriod.ENTITLEMENT_RESET_PERIOD_MONTH);
    assertThat(calls.getEntitlement().hasUsagePeriodEnd()).isTrue();
    assertThat(calls.getEntitlement().getFeature().getIsMetered()).isTrue();
    assertThat(region.getHasAccess()).isTrue();
    assertThat(region.getRequestedValuesList()).containsExactly("eu");
    assertThat(region.getEntitlement().getEnumValuesList()).containsExactly("us", "eu");
  }

  @Test
  void deniedChecksCarryTheReason() {
    assertThat(metered("globex", "feature-api-calls", 5).getAccessDeniedReason())
        .isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_REQUESTED_USAGE_EXCEEDING_LIMIT);
    assertThat(metered("acme", "feature-storage-gb", 500).getHasAccess()).as("soft limit").isTrue();
    assertThat(metered("acme", "feature-projects", 1e9).getHasAccess()).as("unlimited").isTrue();
    assertThat(sidecar.blocking().getBooleanEntitlement(bool("initech", "feature-sso")).getAccessDeniedReason())
        .isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_NO_ACTIVE_SUBSCRIPTION);
    assertThat(sidecar.blocking().getEnumEntitlement(GetEnumEntitlementRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-region").setOptions(EnumEntitlementOptions.newBuilder().addRequestedValues("apac"))
        .build()).getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_REQUESTED_VALUES_MISMATCH);
  }

  @Test
  void unknownCustomersAndFeaturesAreDenialsNotFallbacks() {
    GetBooleanEntitlementResponse ghost = sidecar.blocking().getBooleanEntitlement(bool("ghost", "feature-sso"));
    GetBooleanEntitlementResponse missing = sidecar.blocking().getBooleanEntitlement(bool("globex", "feature-sso")
        .toBuilder().setOptions(BooleanEntitlementOptions.newBuilder()
            .setFallback(BooleanEntitlementFallback.newBuilder().setHasAccess(true))).build());

    assertThat(ghost.getHasAccess()).isFalse();
    assertThat(ghost.getIsFallback()).isFalse();
    assertThat(ghost.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_CUSTOMER_NOT_FOUND);
    assertThat(missing.getHasAccess()).as("the request's fallback is ignored").isFalse();
    assertThat(missing.getIsFallback()).isFalse();
    assertThat(missing.getAccessDeniedReason())
        .isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_NO_FEATURE_ENTITLEMENT_IN_SUBSCRIPTION);
  }

  @Test
  void aTypeMismatchAnswersTheFallbackWithFeatureTypeMismatch() {
    GetBooleanEntitlementResponse requestFallback = sidecar.blocking().getBooleanEntitlement(bool("acme",
        "feature-api-calls").toBuilder().setOptions(BooleanEntitlementOptions.newBuilder()
        .setFallback(BooleanEntitlementFallback.newBuilder().setHasAccess(true))).build());
    GetBooleanEntitlementResponse globalFallback = sidecar.blocking().getBooleanEntitlement(bool("acme", "feature-seats"));

    assertThat(requestFallback.getHasAccess()).isTrue();
    assertThat(requestFallback.getIsFallback()).isTrue();
    assertThat(requestFallback.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_FEATURE_TYPE_MISMATCH);
    assertThat(globalFallback.getHasAccess()).as("ENTITLEMENTS_FALLBACK grants feature-seats").isTrue();
    assertThat(globalFallback.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_FEATURE_TYPE_MISMATCH);
  }

  @Test
  void genericChecksTakeTheFeaturesKindOrTheFallback() {
    GetEntitlementResponse metered = sidecar.blocking().getEntitlement(GetEntitlementRequest.newBuilder()
        .setCustomerId("acme").setFeatureId("feature-api-calls")
        .setOptions(GetEntitlementOptions.newBuilder().setRequestedUsage(1)).build());
    GetEntitlementResponse unknown = sidecar.blocking().getEntitlement(GetEntitlementRequest.newBuilder()
        .setCustomerId("acme").setFeatureId("feature-nope").build());

    assertThat(metered.hasMetered()).isTrue();
    assertThat(metered.getMetered().getCurrentUsage()).isEqualTo(1_200);
    assertThat(unknown.getIsFallback()).isTrue();
    assertThat(unknown.hasBoolean()).isTrue();
    assertThat(unknown.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_UNKNOWN);
  }

  @Test
  void getEntitlementsListsEveryFeatureOfACustomerOrResource() {
    GetEntitlementsResponse acme = sidecar.blocking().getEntitlements(
        GetEntitlementsRequest.newBuilder().setCustomerId("acme").build());
    GetEntitlementsResponse workspace = sidecar.blocking().getEntitlements(
        GetEntitlementsRequest.newBuilder().setCustomerId("acme").setResourceId("workspace-berlin").build());
    GetEntitlementsResponse ghost = sidecar.blocking().getEntitlements(
        GetEntitlementsRequest.newBuilder().setCustomerId("ghost").build());

    assertThat(acme.getEntitlementsList()).hasSize(7);
    assertThat(acme.hasAccessDeniedReason()).isFalse();
    assertThat(workspace.getEntitlementsList()).hasSize(2);
    assertThat(workspace.getEntitlementsList().stream().filter(e -> e.hasMetered()).findFirst().orElseThrow()
        .getMetered().getUsageLimit()).isEqualTo(500);
    assertThat(ghost.getEntitlementsList()).isEmpty();
    assertThat(ghost.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_CUSTOMER_NOT_FOUND);
    assertThat(emulator.stats().entitlementFetches("acme:workspace-berlin")).isEqualTo(1);
    assertThat(emulator.stats().entitlementFetches("acme")).as("one fetch, also warmed by the resource check").isEqualTo(1);
  }

  @Test
  void v2AnswersFeatureChecksStatesAndCredits() throws Exception {
    var feature = sidecar.blocking().getEntitlementV2(GetEntitlementV2Request.newBuilder().setCustomerId("hooli")
        .setFeatureId("feature-ai-generations").build()).getEntitlement();
    var state = sidecar.blocking().getEntitlementsStateV2(
        GetEntitlementsStateV2Request.newBuilder().setCustomerId("hooli").build());
    var creditsBefore = sidecar.blocking().getEntitlementV2(GetEntitlementV2Request.newBuilder().setCustomerId("hooli")
        .setCurrencyId("ai-credits").build()).getEntitlement();
    new AdminClient(emulator.baseUri()).setCreditBalance("hooli", "ai-credits", 0);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() ->
        sidecar.blocking().getEntitlementV2(GetEntitlementV2Request.newBuilder().setCustomerId("hooli")
            .setCurrencyId("ai-credits").build()).getEntitlement().hasCredit());
    var creditsAfter = sidecar.blocking().getEntitlementV2(GetEntitlementV2Request.newBuilder().setCustomerId("hooli")
        .setCurrencyId("ai-credits").build()).getEntitlement();

    assertThat(feature.getHasAccess()).isTrue();
    assertThat(feature.hasMetered()).isTrue();
    assertThat(state.getEntitlementsList()).hasSize(2);
    assertThat(creditsBefore.getHasAccess()).as("priced entitlements allowed").isTrue();
    assertThat(creditsAfter.getHasAccess()).isFalse();
    assertThat(creditsAfter.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_INSUFFICIENT_CREDITS);
    assertThat(creditsAfter.getCredit().getRemaining()).isZero();
    assertThat(creditsAfter.getCredit().getCurrency().getCurrencyId()).isEqualTo("ai-credits");
  }

  @Test
  void reportUsageAnswersWithStiggsUsageAndTheCacheFollows() {
    metered("acme", "feature-api-calls", 0);
    long fetches = emulator.stats().entitlementFetches("acme");

    var ack = sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-api-calls").setValue(3).putDimensions("region",
            EventDimensionValue.newBuilder().setStringValue("eu").build()).build());
    var set = sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-api-calls").setValue(10).setUpdateBehavior(UsageUpdateBehavior.USAGE_UPDATE_BEHAVIOR_SET)
        .build());

    assertThat(ack.getCurrentUsage()).isEqualTo(1_203);
    assertThat(ack.getMeasurementId()).isNotEmpty();
    assertThat(ack.hasUsagePeriodEnd()).isTrue();
    assertThat(set.getCurrentUsage()).isEqualTo(10);
    assertThat(metered("acme", "feature-api-calls", 0).getEntitlement().getCurrentUsage()).isEqualTo(10);
    assertThat(emulator.stats().entitlementFetches("acme")).as("answered from the cache").isEqualTo(fetches);
  }

  @Test
  void bulkUsageAndEventsReachStigg() {
    var bulk = sidecar.blocking().reportUsageBulk(ReportUsageBulkRequest.newBuilder()
        .addUsages(ReportUsageRequest.newBuilder().setCustomerId("acme").setFeatureId("feature-api-calls").setValue(1))
        .addUsages(ReportUsageRequest.newBuilder().setCustomerId("acme").setResourceId("workspace-berlin")
            .setFeatureId("feature-api-calls").setValue(2))
        .build());
    sidecar.blocking().reportEvents(ReportEventsRequest.newBuilder().addEvents(Event.newBuilder()
        .setCustomerId("acme").setEventName("api_call").setIdempotencyKey("k-1")).build());

    assertThat(bulk.getUsagesList()).extracting(u -> u.getCurrentUsage()).containsExactly(1_201.0, 122.0);
    assertThat(bulk.getUsages(1).getResourceId()).isEqualTo("workspace-berlin");
    assertThat(emulator.stats().toJson().get("events").asInt()).isEqualTo(1);
  }

  @Test
  void reloadRefetchesOverGraphql() {
    var known = sidecar.blocking().reloadEntitlements(ReloadEntitlementsRequest.newBuilder().setCustomerId("acme").build());
    var ghost = sidecar.blocking().reloadEntitlements(ReloadEntitlementsRequest.newBuilder().setCustomerId("ghost").build());

    assertThat(known.getEntitledEntityExists()).isTrue();
    assertThat(ghost.getEntitledEntityExists()).isFalse();
    assertThat(emulator.stats().requests("graphql:GetEntitlements")).isEqualTo(2);
    assertThat(emulator.stats().requests("edge:entitlements")).isZero();
  }

  @Test
  void concurrentMissesForOneCustomerCoalesceIntoOneFetch() throws Exception {
    // Entries fetched before the real-time connection is up are revalidated when it comes up (a
    // change could have been missed): wait for it, so that only the burst's own fetch is counted.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> sidecar.get("/readyz").body().contains("\"realtime\":\"connected\""));
    emulator.setFaults(new Faults(300, 0, 500, false, false, false));
    List<ListenableFuture<GetMeteredEntitlementResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      answers.add(sidecar.futures().withDeadlineAfter(20, TimeUnit.SECONDS).getMeteredEntitlement(
          GetMeteredEntitlementRequest.newBuilder().setCustomerId("globex").setFeatureId("feature-api-calls").build()));
    }
    for (ListenableFuture<GetMeteredEntitlementResponse> answer : answers) {
      assertThat(answer.get(20, TimeUnit.SECONDS).getEntitlement().getCurrentUsage()).isEqualTo(999);
    }

    assertThat(emulator.stats().entitlementFetches("globex")).isEqualTo(1);
  }

  @Test
  void badRequestsAreInvalidArgumentNamingTheField() {
    assertInvalid(() -> sidecar.blocking().getBooleanEntitlement(bool("", "feature-sso")), "customer_id: required");
    assertInvalid(() -> sidecar.blocking().getBooleanEntitlement(bool("acme", "f".repeat(256))),
        "feature_id: longer than 255 characters");
    assertInvalid(() -> metered("acme", "feature-api-calls", Double.NaN), "options.requested_usage: must be a finite number");
    assertInvalid(() -> sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-api-calls").setValue(1).setUpdateBehaviorValue(7).build()),
        "update_behavior: unknown value 7");
    assertInvalid(() -> sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-api-calls").setValue(1).putDimensions("d", EventDimensionValue.getDefaultInstance())
        .build()), "dimensions[\"d\"]: no value set");
    assertInvalid(() -> sidecar.blocking().reportUsageBulk(ReportUsageBulkRequest.getDefaultInstance()),
        "usages: must not be empty");
    assertInvalid(() -> sidecar.blocking().reportUsageBulk(ReportUsageBulkRequest.newBuilder()
        .addUsages(ReportUsageRequest.newBuilder().setCustomerId("acme").setValue(1)).build()),
        "usages[0].feature_id: required");
    assertInvalid(() -> sidecar.blocking().reportEvents(ReportEventsRequest.newBuilder()
        .addEvents(Event.newBuilder().setCustomerId("acme").setEventName("e")).build()),
        "events[0].idempotency_key: required");
    assertInvalid(() -> sidecar.blocking().getEntitlementV2(GetEntitlementV2Request.newBuilder().setCustomerId("acme")
        .build()), "set exactly one of feature_id");
  }

  @Test
  void stiggsRefusalOfAReportIsReturnedToTheCaller() {
    assertThatThrownBy(() -> sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("ghost")
        .setFeatureId("feature-api-calls").setValue(1).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("Stigg refused the request").contains("Customer not found");
        });
  }

  @Test
  void writesThatCannotReachStiggFailWithUnavailable() {
    emulator.setFaults(new Faults(0, 0, 500, true, false, false));

    assertThatThrownBy(() -> sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-api-calls").setValue(1).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("nothing was recorded");
        });
  }

  private GetMeteredEntitlementResponse metered(String customer, String feature, double usage) {
    return sidecar.blocking().getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder().setCustomerId(customer)
        .setFeatureId(feature).setOptions(MeteredEntitlementOptions.newBuilder().setRequestedUsage(usage)).build());
  }

  private static GetBooleanEntitlementRequest bool(String customer, String feature) {
    return GetBooleanEntitlementRequest.newBuilder().setCustomerId(customer).setFeatureId(feature).build();
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains(message);
    });
  }
}
