package dev.stiggsidecar.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the sidecar writes to Redis reads back as the entitlements Stigg sent: every kind of
 * fragment, through {@link RedisCodec#values} and {@link RedisCodec#read}, equals what {@link
 * EntitlementJson} reads from the fragment itself.
 */
class RedisCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FRAGMENTS = """
      [
        {"feature":{"refId":"feature-sso","featureType":"BOOLEAN","meterType":"None"},"hasUnlimitedUsage":false},
        {"feature":{"refId":"feature-seats","featureType":"NUMBER","meterType":"None","featureUnits":"seat",
          "featureUnitsPlural":"seats"},"usageLimit":25,"hasSoftLimit":true},
        {"feature":{"refId":"feature-no-units","featureType":"NUMBER","meterType":"None","featureUnits":"",
          "featureUnitsPlural":null},"usageLimit":3,"enumValues":[]},
        {"feature":{"refId":"feature-api-calls","featureType":"NUMBER","meterType":"Incremental"},"usageLimit":1000,
          "currentUsage":412,"resetPeriod":"MONTH","resetPeriodConfiguration":{"__typename":"MonthlyResetPeriodConfig",
          "monthlyAccordingTo":"SubscriptionStart"},"usagePeriodAnchor":"2026-01-15T00:00:00.000Z",
          "usagePeriodStart":"2026-11-15T00:00:00.000Z","usagePeriodEnd":"2026-12-15T00:00:00.000Z",
          "usageUpdatedAt":"2026-11-30T10:00:00.000Z","entitlementUpdatedAt":"2026-11-29T10:00:00.000Z"},
        {"feature":{"refId":"feature-storage","featureType":"NUMBER","meterType":"Fluctuating"},"hasUnlimitedUsage":true,
          "currentUsage":7},
        {"feature":{"refId":"feature-region","featureType":"ENUM","meterType":"None"},"enumValues":["eu","us"]},
        {"feature":{"refId":"feature-tokens","featureType":"NUMBER","meterType":"Incremental"},"usageLimit":10,
          "currentUsage":10,"creditRate":{"amount":0.5,"currencyId":"credits"},"accessDeniedReason":"RequestedUsageExceedingLimit",
          "validUntil":"2027-01-01T00:00:00.000Z"},
        {"feature":{"refId":"feature-unmetered-number","featureType":"NUMBER"},"currentUsage":2}
      ]
      """;

  private final EntitlementJson parser = new EntitlementJson(new FeatureCatalog());
  private final RedisCodec codec = new RedisCodec(new RedisKeys("envp"), parser);

  @Test
  void whatIsWrittenReadsBackAsTheFragmentsStiggSent() throws Exception {
    JsonNode fragments = JSON.readTree(FRAGMENTS);
    EntityKey key = EntityKey.customer("acme");
    RedisValues values = codec.values(key, fragments, 1_700_000_000_000L);
    Map<String, String> usageByFeature = new HashMap<>();
    for (RedisValues.Entry entry : values.entries().subList(1, values.entries().size())) {
      usageByFeature.put(entry.key().substring(entry.key().lastIndexOf(":f_") + 3), entry.value());
    }

    CustomerEntitlements fromRedis = codec.read(values.entries().get(0).value(), usageByFeature, 0).orElseThrow();
    CustomerEntitlements fromStigg = parser.entitlements(fragments, 0);

    assertThat(fromRedis.all()).hasSize(8);
    assertThat(fromRedis.all().stream().map(RedisCodecTest::describe).toList())
        .isEqualTo(fromStigg.all().stream().map(RedisCodecTest::describe).toList());
    assertThat(codec.decode(values.entries().get(0).value()).orElseThrow().meteredFeatures())
        .containsExactlyInAnyOrder("feature-api-calls", "feature-storage", "feature-tokens");
  }

  /** A map decoded once reads the same with new usage values as a fresh parse would. */
  @Test
  void aDecodedMapReadsWithNewUsageAsAFreshParseDoes() throws Exception {
    RedisValues values = codec.values(EntityKey.customer("acme"), JSON.readTree(FRAGMENTS), 0);
    String map = values.entries().get(0).value();
    RedisCodec.DecodedMap decoded = codec.decode(map).orElseThrow();
    assertThat(decoded.meteredFeatures()).containsExactly("feature-api-calls", "feature-storage", "feature-tokens");

    for (int usage : new int[] {0, 3, 9}) {
      Map<String, String> usageByFeature = new HashMap<>();
      decoded.meteredFeatures().forEach(feature -> usageByFeature.put(feature, RedisCodec.usageValue(usage, 1, 2)));
      assertThat(codec.read(decoded, usageByFeature, 0).orElseThrow().all().stream().map(RedisCodecTest::describe))
          .isEqualTo(codec.read(map, usageByFeature, 0).orElseThrow().all().stream().map(RedisCodecTest::describe)
              .toList())
          .anyMatch(described -> described.contains(usage + ".0 "));
    }
    assertThat(codec.read(decoded, Map.of(), 0)).as("usage still required").isEmpty();
    assertThat(codec.decode("not json")).isEmpty();
  }

  @Test
  void aMeteredFeatureWithoutItsUsageKeyIsAMiss() throws Exception {
    RedisValues values = codec.values(EntityKey.customer("acme"), JSON.readTree(FRAGMENTS), 0);
    assertThat(codec.read(values.entries().get(0).value(), Map.of(), 0)).isEmpty();
  }

  private static String describe(Entitlement e) {
    String usage = e.usageWindow().map(u -> e.currentUsage() + " " + u.resetPeriod() + " " + u.resetConfiguration() + " "
        + date(u.periodAnchor()) + " " + date(u.periodStart()) + " " + date(u.periodEnd())).orElse("no usage");
    return String.join(" | ", List.of(e.feature().toString(), e.hasUsageLimit() ? String.valueOf(e.usageLimit()) : "-",
        String.valueOf(e.hasUnlimitedUsage()), String.valueOf(e.hasSoftLimit()), String.valueOf(e.denialReason()),
        String.valueOf(e.enumValues()), date(e.validUntil()), String.valueOf(e.creditRate()), usage));
  }

  private static String date(long millis) {
    return millis == Entitlement.NO_DATE ? "-" : Long.toString(millis);
  }
}
