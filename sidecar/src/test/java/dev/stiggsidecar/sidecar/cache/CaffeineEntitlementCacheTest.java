package dev.stiggsidecar.sidecar.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.Feature;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.MeterType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaffeineEntitlementCacheTest {

  private static final CustomerEntitlements ENTRY = CustomerEntitlements.of(List.of(Entitlement.builder(
      new Feature("feature-sso", FeatureType.BOOLEAN, Optional.of(MeterType.NONE), "", "")).build()), 0, 0);

  @Test
  void countsEvictionsToStayWithinTheBoundButNotInvalidationsOrReplacements() {
    CaffeineEntitlementCache cache = new CaffeineEntitlementCache(16 * 1024);
    cache.put(EntityKey.customer("acme"), ENTRY);
    cache.put(EntityKey.customer("acme"), ENTRY);
    cache.invalidateAll();
    for (int i = 0; i < 1_000; i++) {
      cache.put(EntityKey.customer("customer-" + i), ENTRY);
    }

    // Caffeine evicts in its maintenance pass, on another thread.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(cache.weightedSize()).isLessThanOrEqualTo(16 * 1024);
      assertThat(cache.evictions()).isEqualTo(1_000 - cache.size());
    });
    assertThat(cache.evictions()).isPositive();
  }
}
