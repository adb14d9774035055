package dev.stiggsidecar.emulator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.emulator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EntityKey ACME = EntityKey.of("acme", null);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private Catalog catalog;

  @BeforeEach
  void loadSample() throws CatalogException {
    catalog = new Catalog(clock);
    CatalogFile.loadSample(catalog);
  }

  @Test
  void sampleCatalogHoldsTheDocumentedCustomers() {
    assertThat(catalog.keys()).extracting(EntityKey::toString)
        .containsExactly("acme", "acme:workspace-berlin", "globex", "initech", "hooli", "umbrella");
    assertThat(catalog.entitlementsOf(EntityKey.of("umbrella", null))).hasValueSatisfying(list -> assertThat(list).isEmpty());
    assertThat(catalog.entitlementsOf(EntityKey.of("ghost", null))).isEmpty();
  }

  @Test
  void servedEntitlementsCarryEveryFragmentFieldInOrder() {
    JsonNode first = catalog.entitlementsOf(ACME).orElseThrow().get(0);

    assertThat(fieldNames(first)).containsExactly("__typename", "isGranted", "accessDeniedReason", "customerId",
        "resourceId", "usageLimit", "hasUnlimitedUsage", "hasSoftLimit", "currentUsage", "requestedUsage",
        "requestedValues", "enumValues", "entitlementUpdatedAt", "usageUpdatedAt", "usagePeriodAnchor",
        "usagePeriodStart", "usagePeriodEnd", "nextResetDate", "resetPeriod", "resetPeriodConfiguration",
        "feature", "creditRate", "validUntil");
    assertThat(fieldNames(first.get("feature"))).containsExactly("__typename", "featureType", "meterType",
        "featureUnits", "featureUnitsPlural", "description", "displayName", "refId", "unitTransformation");
    assertThat(first.get("entitlementUpdatedAt").asText()).isEqualTo("2026-11-27T10:00:00.000Z");
  }

  @Test
  void meteredEntitlementsGetTheCurrentUsageWindowFromTheirAnchor() {
    JsonNode apiCalls = feature(ACME, "feature-api-calls");

    assertThat(apiCalls.get("usagePeriodAnchor").asText()).isEqualTo("2026-01-15T00:00:00.000Z");
    assertThat(apiCalls.get("usagePeriodStart").asText()).isEqualTo("2026-11-15T00:00:00.000Z");
    assertThat(apiCalls.get("usagePeriodEnd").asText()).isEqualTo("2026-12-15T00:00:00.000Z");
    assertThat(apiCalls.get("resetPeriodConfiguration").toString())
        .isEqualTo("{\"__typename\":\"MonthlyResetPeriodConfig\",\"monthlyAccordingTo\":\"SubscriptionStart\"}");
  }

  @Test
  void deltaAddsAndSetReplacesAndTheMeasurementEchoesTheWindow() throws CatalogException {
    UsageChange delta = catalog.reportUsage(report("feature-api-calls", 5, false));
    UsageChange set = catalog.reportUsage(report("feature-api-calls", 7, true));

    assertThat(delta.measurement().get("currentUsage").asDouble()).isEqualTo(1205);
    assertThat(set.measurement().get("currentUsage").toString()).isEqualTo("7");
    assertThat(set.measurement().get("usagePeriodEnd").asText()).isEqualTo("2026-12-15T00:00:00.000Z");
    assertThat(set.usageUpdated().at("/usage/currentUsage").asDouble()).isEqualTo(7);
    assertThat(feature(ACME, "feature-api-calls").get("currentUsage").asDouble()).isEqualTo(7);
  }

  @Test
  void usageStartsAgainFromZeroWhenTheWindowRollsOver() throws CatalogException {
    assertThat(feature(ACME, "feature-exports").get("currentUsage").asDouble()).isEqualTo(4);

    clock.advance(Duration.ofDays(1));

    JsonNode exports = feature(ACME, "feature-exports");
    assertThat(exports.get("currentUsage").asDouble()).isZero();
    assertThat(exports.get("usagePeriodStart").asText()).isEqualTo("2026-11-28T00:00:00.000Z");
    assertThat(catalog.reportUsage(report("feature-exports", 1, false)).measurement().get("currentUsage").asDouble())
        .isEqualTo(1);
  }

  /**
   * 5 of 5 stored with a monthly window that ended 35 days ago: Stigg would serve the current
   * window with the usage counted since it started, never the old usage in a new window.
   */
  @Test
  void usageGivenForAWindowThatHasEndedIsNotCarriedIntoTheCurrentOne() throws Exception {
    catalog.replace(ACME, JSON.readTree("[{\"feature\":{\"refId\":\"calls\",\"featureType\":\"NUMBER\","
        + "\"meterType\":\"Incremental\"},\"usageLimit\":5,\"currentUsage\":5,\"resetPeriod\":\"MONTH\","
        + "\"usagePeriodStart\":\"2026-09-23T10:00:00.000Z\",\"usagePeriodEnd\":\"2026-10-23T10:00:00.000Z\"}]"));

    JsonNode calls = feature(ACME, "calls");
    assertThat(calls.get("currentUsage").asDouble()).isZero();
    assertThat(calls.get("usagePeriodStart").asText()).isEqualTo("2026-11-23T10:00:00.000Z");
    assertThat(calls.get("usagePeriodEnd").asText()).isEqualTo("2026-12-23T10:00:00.000Z");
    assertThat(calls.get("usagePeriodAnchor").asText()).as("the given window's start anchors the schedule")
        .isEqualTo("2026-09-23T10:00:00.000Z");
  }

  @Test
  void usageGivenForTheCurrentWindowIsKept() throws Exception {
    catalog.replace(ACME, JSON.readTree("[{\"feature\":{\"refId\":\"calls\",\"featureType\":\"NUMBER\","
        + "\"meterType\":\"Incremental\"},\"usageLimit\":5,\"currentUsage\":5,\"resetPeriod\":\"MONTH\","
        + "\"usagePeriodStart\":\"2026-11-23T10:00:00.000Z\",\"usagePeriodEnd\":\"2026-12-23T10:00:00.000Z\"}]"));

    JsonNode calls = feature(ACME, "calls");
    assertThat(calls.get("currentUsage").asDouble()).isEqualTo(5);
    assertThat(calls.get("usagePeriodEnd").asText()).isEqualTo("2026-12-23T10:00:00.000Z");
  }

  @Test
  void usageOfACreditPricedFeatureDrawsTheBalanceDownAndDeniesAtZero() throws CatalogException {
    EntityKey hooli = EntityKey.of("hooli", null);
    UsageChange change = catalog.reportUsage(new UsageReport(hooli, "feature-ai-generations", 20, false, Optional.empty()));

    assertThat(change.creditBalanceUpdated()).hasValueSatisfying(push -> {
      assertThat(push.get("currentBalance").asDouble()).isZero();
      assertThat(push.at("/currency/currencyId").asText()).isEqualTo("ai-credits");
    });
    assertThat(feature(hooli, "feature-ai-generations").get("accessDeniedReason").asText()).isEqualTo("InsufficientCredits");

    catalog.setCreditBalance(hooli, "ai-credits", 50);
    assertThat(feature(hooli, "feature-ai-generations").get("accessDeniedReason").isNull()).isTrue();
  }

  @Test
  void usageOfUnknownCustomersAndUnmeteredFeaturesIsRefused() {
    assertThatThrownBy(() -> catalog.reportUsage(new UsageReport(EntityKey.of("ghost", null), "feature-api-calls", 1,
        false, Optional.empty()))).hasMessage("Customer not found: ghost");
    assertThatThrownBy(() -> catalog.reportUsage(report("feature-seats", 1, false)))
        .hasMessage("Feature feature-seats is not a metered feature of acme");
  }

  @Test
  void bulkUsageIsAllOrNothing() {
    assertThatThrownBy(() -> catalog.reportUsageBulk(List.of(report("feature-api-calls", 5, false),
        report("feature-nope", 1, false)))).hasMessageContaining("usages[1]: Feature feature-nope");

    assertThat(feature(ACME, "feature-api-calls").get("currentUsage").asDouble()).isEqualTo(1200);
  }

  @Test
  void replaceRejectsInvalidEntitlementsNamingEachField() throws Exception {
    JsonNode bad = JSON.readTree("[{\"feature\":{\"refId\":\"f\",\"featureType\":\"BOOL\"},\"usageLimit\":\"ten\"},"
        + "{\"feature\":{\"featureType\":\"NUMBER\",\"meterType\":\"Monthly\"},\"usagelimit\":3}]");

    assertThatThrownBy(() -> catalog.replace(ACME, bad))
        .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "entitlements[0].feature.featureType: \"BOOL\" is not one of BOOLEAN, NUMBER, ENUM",
            "entitlements[0].usageLimit: must be a number, got \"ten\"",
            "entitlements[1].usagelimit: is not a field of the entitlement fragment; known fields: isGranted, "
                + "accessDeniedReason, customerId, resourceId, usageLimit, hasUnlimitedUsage, hasSoftLimit, "
                + "currentUsage, requestedUsage, requestedValues, enumValues, entitlementUpdatedAt, usageUpdatedAt, "
                + "usagePeriodAnchor, usagePeriodStart, usagePeriodEnd, nextResetDate, resetPeriod, "
                + "resetPeriodConfiguration, feature, creditRate, validUntil",
            "entitlements[1].feature.refId: is required: the feature id, e.g. feature-seats",
            "entitlements[1].feature.meterType: \"Monthly\" is not one of None, Fluctuating, Incremental"));
    assertThat(feature(ACME, "feature-seats").get("usageLimit").asInt()).isEqualTo(25);
  }

  private JsonNode feature(EntityKey key, String featureId) {
    for (JsonNode entitlement : catalog.entitlementsOf(key).orElseThrow()) {
      if (entitlement.at("/feature/refId").asText().equals(featureId)) {
        return entitlement;
      }
    }
    throw new AssertionError(featureId + " not in " + key);
  }

  private static UsageReport report(String featureId, double value, boolean set) {
    return new UsageReport(ACME, featureId, value, set, Optional.empty());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
