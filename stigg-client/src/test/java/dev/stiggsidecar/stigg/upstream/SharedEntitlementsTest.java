package dev.stiggsidecar.stigg.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.entitlement.UsageWindow;
import org.junit.jupiter.api.Test;

/**
 * Customers with the same entitlement share one instance of it (what keeps a million cached
 * entitlements small), while anything of one customer's own (usage, another limit, another date)
 * stays apart.
 */
class SharedEntitlementsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EntitlementJson parser = new EntitlementJson(new FeatureCatalog());

  @Test
  void equalEntitlementsWithoutUsageAreOneInstanceAcrossCustomers() throws Exception {
    CustomerEntitlements first = parse(plan(25, "2027-01-01T00:00:00.000Z", 3));
    CustomerEntitlements second = parse(plan(25, "2027-01-01T00:00:00.000Z", 3));

    for (String feature : new String[] {"feature-sso", "feature-seats", "feature-region", "feature-trial"}) {
      assertThat(second.find(feature).orElseThrow()).as(feature).isSameAs(first.find(feature).orElseThrow());
    }
  }

  @Test
  void usageAnotherLimitOrAnotherDateIsTheCustomersOwn() throws Exception {
    CustomerEntitlements first = parse(plan(25, "2027-01-01T00:00:00.000Z", 3));
    CustomerEntitlements second = parse(plan(30, "2027-02-01T00:00:00.000Z", 3));

    assertThat(second.find("feature-seats").orElseThrow()).isNotSameAs(first.find("feature-seats").orElseThrow())
        .satisfies(seats -> assertThat(seats.usageLimit()).isEqualTo(30));
    assertThat(second.find("feature-trial").orElseThrow()).isNotSameAs(first.find("feature-trial").orElseThrow());
    // The same usage still is not shared: usage changes per customer with every report.
    Entitlement calls = second.find("feature-api-calls").orElseThrow();
    assertThat(calls).isNotSameAs(first.find("feature-api-calls").orElseThrow()).isEqualTo(first.find("feature-api-calls").orElseThrow());
    assertThat(calls.currentUsage()).isEqualTo(3);
  }

  private CustomerEntitlements parse(String fragments) throws Exception {
    JsonNode list = JSON.readTree(fragments);
    return parser.entitlements(list, 0);
  }

  @Test
  void aSubscriptionsMeteredFeaturesAndCustomersThatResetTogetherShareOneUsageWindow() throws Exception {
    CustomerEntitlements first = parse(plan(25, "2027-01-01T00:00:00.000Z", 3));
    CustomerEntitlements second = parse(plan(25, "2027-01-01T00:00:00.000Z", 9));

    UsageWindow window = first.find("feature-api-calls").orElseThrow().usageWindow().orElseThrow();
    assertThat(first.find("feature-storage").orElseThrow().usageWindow()).containsSame(window);
    assertThat(second.find("feature-api-calls").orElseThrow().usageWindow()).containsSame(window);
    assertThat(second.find("feature-api-calls").orElseThrow().currentUsage()).isEqualTo(9);
    assertThat(first.find("feature-api-calls").orElseThrow().currentUsage()).isEqualTo(3);
  }

  private static String plan(int seats, String trialEnds, int apiCalls) {
    return """
        [
          {"feature":{"refId":"feature-sso","featureType":"BOOLEAN","meterType":"None"}},
          {"feature":{"refId":"feature-seats","featureType":"NUMBER","meterType":"None"},"usageLimit":%d},
          {"feature":{"refId":"feature-region","featureType":"ENUM","meterType":"None"},"enumValues":["eu","us"]},
          {"feature":{"refId":"feature-trial","featureType":"BOOLEAN","meterType":"None"},"validUntil":"%s"},
          {"feature":{"refId":"feature-api-calls","featureType":"NUMBER","meterType":"Incremental"},"usageLimit":1000,
            "currentUsage":%d,"resetPeriod":"MONTH","usagePeriodEnd":"2026-12-15T00:00:00.000Z"},
          {"feature":{"refId":"feature-storage","featureType":"NUMBER","meterType":"Fluctuating"},"usageLimit":50,
            "currentUsage":1,"resetPeriod":"MONTH","usagePeriodEnd":"2026-12-15T00:00:00.000Z"}
        ]
        """.formatted(seats, trialEnds, apiCalls);
  }
}
