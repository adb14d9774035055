package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.stigg.sidecar.proto.v1.AccessDeniedReason;
import io.stigg.sidecar.proto.v1.Event;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementsRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.ReloadEntitlementsRequest;
import io.stigg.sidecar.proto.v1.ReportEventsRequest;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How the sidecar behaves when things change or break: real-time updates, outages, bad keys, offline. */
class SidecarResilienceTest {

  private static final String KEY = "resilience-test-key";
  private static final String SEATS_50 =
      "[{\"feature\":{\"refId\":\"feature-seats\",\"featureType\":\"NUMBER\",\"meterType\":\"None\"},\"usageLimit\":50}]";

  private StiggEmulator emulator;
  private SidecarHarness sidecar;

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void aRealtimeUpdateChangesTheNextAnswerWithinOneSecond() throws Exception {
    startBoth(Map.of());
    assertThat(seats("acme")).isEqualTo(25);

    new AdminClient(emulator.baseUri()).putEntitlements("acme", null, SEATS_50);

    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> seats("acme") == 50);
    assertThat(emulator.stats().entitlementFetches("acme")).as("pushed, not refetched").isEqualTo(1);
  }

  @Test
  void usagePushesAndPackagePublishesReachTheCache() throws Exception {
    startBoth(Map.of());
    AdminClient admin = new AdminClient(emulator.baseUri());
    metered("acme");

    admin.setUsage("acme", "feature-api-calls", 4321);
    await().atMost(Duration.ofSeconds(1)).until(() -> metered("acme").getEntitlement().getCurrentUsage() == 4321);
    admin.publishPackage("ALL_CUSTOMERS");
    await().atMost(Duration.ofSeconds(2)).until(() -> {
      metered("acme");
      return emulator.stats().entitlementFetches("acme") == 2;
    });
  }

  /**
   * A change made while the stream was cut is missed as a push; after the reconnect the entry keeps
   * answering and is refetched once in the background, which brings the change.
   */
  @Test
  void aChangeMissedWhileDisconnectedArrivesByRevalidationAfterTheReconnect() throws Exception {
    startBoth(Map.of());
    assertThat(seats("acme")).isEqualTo(25);
    AdminClient admin = new AdminClient(emulator.baseUri());

    admin.setFaults("{\"dropWebsockets\":true}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !sidecar.runtime().readiness().upstream().equals("connected"));
    admin.putEntitlements("acme", null, SEATS_50);
    assertThat(seats("acme")).as("the push was missed; the cached entry answers").isEqualTo(25);
    admin.clearFaults();
    await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.runtime().readiness().upstream().equals("connected"));

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> seats("acme") == 50);
    for (int i = 0; i < 20; i++) {
      seats("acme");
    }
    assertThat(emulator.stats().entitlementFetches("acme")).as("one refetch after the reconnect").isEqualTo(2);
  }

  @Test
  void stiggDownAtStartupFallsBackThenRecovers() throws Exception {
    int port;
    try (ServerSocket reserved = new ServerSocket(0)) {
      port = reserved.getLocalPort();
    }
    URI api = URI.create("http://127.0.0.1:" + port);
    sidecar = SidecarHarness.startWithoutWaiting(api, KEY,
        Map.of("ENTITLEMENTS_FALLBACK", "{\"feature-sso\":{\"hasAccess\":true}}"));

    var whileDown = sidecar.blocking().getBooleanEntitlement(bool("acme", "feature-sso"));
    assertThat(whileDown.getIsFallback()).isTrue();
    assertThat(whileDown.getHasAccess()).isTrue();
    assertThat(whileDown.getAccessDeniedReason()).isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_UNKNOWN);
    assertThat(readyz()).contains("\"status\":\"UP\"").contains("\"upstream\":\"degraded\"");

    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY).withPort(port));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        !sidecar.blocking().getBooleanEntitlement(bool("initech", "feature-sso")).getIsFallback());
    assertThat(sidecar.blocking().getBooleanEntitlement(bool("initech", "feature-sso")).getAccessDeniedReason())
        .isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_NO_ACTIVE_SUBSCRIPTION);
  }

  @Test
  void stiggSlowerThanTheTimeoutFallsBack() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY).withFaultHold(Duration.ofSeconds(10)));
    // Set before the sidecar subscribes, so that the change is not pushed to it.
    new AdminClient(emulator.baseUri()).putEntitlementsWithFault("slowco", "[]", "timeout");
    sidecar = SidecarHarness.start(emulator.baseUri(), KEY, Map.of("UPSTREAM_TIMEOUT_MS", "300",
        "ENTITLEMENTS_FALLBACK", "{\"feature-api-calls\":{\"hasAccess\":true,\"usageLimit\":77}}"));

    GetMeteredEntitlementResponse answer = metered("slowco");

    assertThat(answer.getIsFallback()).isTrue();
    assertThat(answer.getHasAccess()).isTrue();
    assertThat(answer.getEntitlement().getUsageLimit()).isEqualTo(77);
    assertThat(answer.getRequestedUsage()).as("Stigg's default metered fallback").isEqualTo(1);
    assertThat(scrape()).containsPattern("sidecar_network_request_errors_total [1-9]")
        .containsPattern("sidecar_fallbacks_total\\{cause=\"upstream_error\"} [1-9]");
  }

  @Test
  void anInvalidKeyIsCountedAndFallbacksAreServed() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    String wrongKey = "wrong-key-0123456789";
    ListAppender<ILoggingEvent> logs = captureLogs();
    try {
      sidecar = SidecarHarness.startWithoutWaiting(emulator.baseUri(), wrongKey,
          Map.of("ENTITLEMENTS_FALLBACK", "{\"feature-seats\":{\"hasAccess\":true,\"value\":3}}"));
      await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.runtime().readiness().toJson().toString()
          .contains("\"realtime\":\"invalid_api_key\""));

      var answer = sidecar.blocking().getNumericEntitlement(
          GetNumericEntitlementRequest.newBuilder().setCustomerId("acme").setFeatureId("feature-seats").build());
      String metrics = scrape();

      assertThat(answer.getIsFallback()).isTrue();
      assertThat(answer.getEntitlement().getValue()).isEqualTo(3);
      assertThat(readyz()).contains("\"apiKey\":\"invalid\"");
      assertThat(metrics).containsPattern("sidecar_invalid_api_key_errors_total [1-9]")
          .containsPattern("sidecar_initialization_errors_total [1-9]");
      assertThat(metrics).doesNotContain(wrongKey);
      assertThat(logs.list).isNotEmpty();
      assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(wrongKey));
    } finally {
      releaseLogs(logs);
    }
  }

  @Test
  void offlineModeAnswersFromFallbacksWithoutTouchingTheNetwork() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    Map<String, String> env = new java.util.HashMap<>();
    env.put("OFFLINE", "true");
    env.put("SERVER_API_KEY", null);
    env.put("ENTITLEMENTS_FALLBACK", "{\"feature-sso\":{\"hasAccess\":true},\"feature-api-calls\":{\"metered\":"
        + "{\"hasAccess\":true,\"usageLimit\":10}}}");
    sidecar = SidecarHarness.startWithoutWaiting(emulator.baseUri(), "", env);

    var sso = sidecar.blocking().getBooleanEntitlement(bool("acme", "feature-sso"));
    var unknown = sidecar.blocking().getBooleanEntitlement(bool("acme", "feature-other"));
    var list = sidecar.blocking().getEntitlements(GetEntitlementsRequest.newBuilder().setCustomerId("acme").build());
    var usage = sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-api-calls").setValue(1).build());
    sidecar.blocking().reportEvents(ReportEventsRequest.newBuilder().addEvents(Event.newBuilder().setCustomerId("acme")
        .setEventName("e").setIdempotencyKey("k")).build());
    var reload = sidecar.blocking().reloadEntitlements(ReloadEntitlementsRequest.newBuilder().setCustomerId("acme").build());

    assertThat(sso.getIsFallback()).isTrue();
    assertThat(sso.getHasAccess()).isTrue();
    assertThat(unknown.getHasAccess()).isFalse();
    assertThat(list.getEntitlementsList()).hasSize(2);
    assertThat(list.getEntitlementsList()).anySatisfy(item -> assertThat(item.getMetered().getUsageLimit()).isEqualTo(10));
    assertThat(usage.getMeasurementId()).hasSize(36);
    assertThat(usage.hasCurrentUsage()).isFalse();
    assertThat(reload.getEntitledEntityExists()).isTrue();
    assertThat(readyz()).contains("\"upstream\":\"offline\"");
    assertThat(emulator.stats().toJson().get("requests")).as("no request reached Stigg").isEmpty();
  }

  @Test
  void withoutRealtimeUpdatesEntriesAreRefreshedAfterTheStalenessBound() throws Exception {
    startBoth(Map.of("WS_ENABLED", "false", "CACHE_MAX_STALENESS_SECS", "1"));
    assertThat(seats("acme")).isEqualTo(25);

    new AdminClient(emulator.baseUri()).putEntitlements("acme", null, SEATS_50);
    assertThat(seats("acme")).as("fresh within the bound: from the cache").isEqualTo(25);

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> seats("acme") == 50);
    assertThat(emulator.stats().websocketsOpen()).isZero();
  }

  @Test
  void healthMetricsAndStandardGrpcServicesAnswer() throws Exception {
    startBoth(Map.of());
    seats("acme");

    assertThat(sidecar.get("/livez").body()).isEqualTo("{\"status\":\"UP\"}");
    var ready = sidecar.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"upstream\":\"connected\"", "\"apiKey\":\"valid\"", "\"realtime\":\"connected\"");
    assertThat(scrape()).contains("sidecar_cache_hits_total", "sidecar_cache_misses_total",
        "sidecar_network_request_errors_total", "sidecar_invalid_api_key_errors_total",
        "sidecar_initialization_errors_total", "sidecar_redis_client_errors_total",
        "sidecar_grpc_server_requests_seconds_bucket", "sidecar_cache_entries", "jvm_memory_used_bytes",
        "process_cpu_usage").doesNotContain(KEY);
    HealthCheckResponse health = HealthGrpc.newBlockingStub(sidecar.channel())
        .check(HealthCheckRequest.newBuilder().setService("stigg.sidecar.v1.SidecarService").build());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(ReflectionProbe.services(sidecar.channel())).contains("stigg.sidecar.v1.SidecarService",
        "grpc.health.v1.Health");
  }

  @Test
  void shutdownDrainsCallsInFlight() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    sidecar = SidecarHarness.start(emulator.baseUri(), KEY, Map.of("SHUTDOWN_GRACE_SECS", "5"));
    emulator.setFaults(new dev.stiggsidecar.emulator.faults.Faults(700, 0, 500, false, false, false));
    var inFlight = sidecar.futures().withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
        .getBooleanEntitlement(bool("initech", "feature-sso"));
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.stats().requests("edge:entitlements") == 1);

    Thread closing = new Thread(() -> sidecar.runtime().close());
    closing.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !sidecar.runtime().readiness().isServing());

    assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS).getAccessDeniedReason())
        .as("the call in flight completes with Stigg's answer")
        .isEqualTo(AccessDeniedReason.ACCESS_DENIED_REASON_NO_ACTIVE_SUBSCRIPTION);
    closing.join(10_000);
    assertThat(closing.isAlive()).isFalse();
  }

  private void startBoth(Map<String, String> overrides) throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    sidecar = overrides.containsKey("WS_ENABLED")
        ? SidecarHarness.startWithoutWaiting(emulator.baseUri(), KEY, overrides)
        : SidecarHarness.start(emulator.baseUri(), KEY, overrides);
  }

  private int seats(String customer) {
    return sidecar.blocking().getNumericEntitlement(GetNumericEntitlementRequest.newBuilder().setCustomerId(customer)
        .setFeatureId("feature-seats").build()).getEntitlement().getValue();
  }

  private GetMeteredEntitlementResponse metered(String customer) {
    return sidecar.blocking().getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder()
        .setCustomerId(customer).setFeatureId("feature-api-calls").build());
  }

  private String readyz() throws Exception {
    return sidecar.get("/readyz").body();
  }

  private String scrape() throws Exception {
    return sidecar.get("/metrics").body();
  }

  private static GetBooleanEntitlementRequest bool(String customer, String feature) {
    return GetBooleanEntitlementRequest.newBuilder().setCustomerId(customer).setFeatureId(feature).build();
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.stiggsidecar").setLevel(ch.qos.logback.classic.Level.DEBUG);
    return appender;
  }

  private static void releaseLogs(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.stiggsidecar").setLevel(null);
  }
}
