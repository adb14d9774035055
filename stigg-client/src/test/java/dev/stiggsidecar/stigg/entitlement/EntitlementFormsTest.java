package dev.stiggsidecar.stigg.entitlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An entitlement with usage is the customer's usage on top of shared terms: what it answers is the
 * same as if it held everything itself, and what it shares stays shared through its changes.
 */
class EntitlementFormsTest {

  private static final long DAY = 86_400_000L;
  private static final long NOW = 1_800_000_000_000L;
  private static final Feature CALLS =
      new Feature("calls", FeatureType.NUMBER, Optional.of(MeterType.INCREMENTAL), "call", "calls");

  private final FeatureCatalog catalog = new FeatureCatalog();
  private final UsageWindow month = catalog.intern(new UsageWindow(Optional.of(ResetPeriod.MONTH), Optional.empty(),
      NOW - 40 * DAY, NOW - 10 * DAY, NOW + 20 * DAY));

  @Test
  void customersWithTheSameTermsShareThemAndKeepTheirOwnUsage() {
    Entitlement first = catalog.intern(calls(3, month));
    Entitlement second = catalog.intern(calls(7, month));

    assertThat(second.terms()).isSameAs(first.terms());
    assertThat(first.currentUsage()).isEqualTo(3);
    assertThat(second.currentUsage()).isEqualTo(7);
    assertThat(second.usageLimit()).isEqualTo(100);
    assertThat(second.usageWindow()).containsSame(month);
  }

  @Test
  void anEntitlementWithoutUsageIsSharedWholeAndNeverEqualsOneWithUsage() {
    Entitlement plain = Entitlement.builder(CALLS).usageLimit(100).build();

    assertThat(catalog.intern(Entitlement.builder(CALLS).usageLimit(100).build())).isSameAs(catalog.intern(plain));
    assertThat(plain.hasUsage()).isFalse();
    assertThat(plain.currentUsage()).isZero();
    assertThat(plain.usageWindow()).isEmpty();
    assertThat(calls(0, month)).isNotEqualTo(plain).isEqualTo(calls(0, month));
    assertThat(calls(0, month).hashCode()).isEqualTo(calls(0, month).hashCode());
  }

  @Test
  void aDenialKeepsTheUsageAndItsWindow() {
    Entitlement denied = calls(3, month).withDenialReason(Optional.of(DenialReason.INSUFFICIENT_CREDITS), NOW + DAY);

    assertThat(denied.denialReason()).contains(DenialReason.INSUFFICIENT_CREDITS);
    assertThat(denied.validUntil()).isEqualTo(NOW + DAY);
    assertThat(denied.currentUsage()).isEqualTo(3);
    assertThat(denied.usageWindow()).containsSame(month);
  }

  @Test
  void anOpenWindowStaysAndAnEndedOneRollsOverToZeroUsage() {
    Entitlement open = calls(3, month);
    Entitlement ended = calls(3, new UsageWindow(Optional.of(ResetPeriod.DAY), Optional.empty(), NOW - 30 * DAY,
        NOW - 2 * DAY, NOW - DAY));

    assertThat(open.rolledOver(NOW)).isSameAs(open);
    Entitlement rolled = ended.rolledOver(NOW);
    assertThat(rolled.currentUsage()).isZero();
    assertThat(rolled.usageWindow().orElseThrow().periodStart()).isEqualTo(NOW);
    assertThat(rolled.usageWindow().orElseThrow().periodEnd()).isEqualTo(NOW + DAY);
    assertThat(rolled.usageLimit()).isEqualTo(100);
  }

  @Test
  void aPushWithTheSameBoundsKeepsTheSharedWindow() {
    assertThat(month.withBounds(Entitlement.NO_DATE, Entitlement.NO_DATE)).isSameAs(month);
    assertThat(month.withBounds(month.periodStart(), month.periodEnd())).isSameAs(month);
    UsageWindow next = month.withBounds(NOW + 20 * DAY, NOW + 50 * DAY);
    assertThat(next.periodStart()).isEqualTo(NOW + 20 * DAY);
    assertThat(next.resetPeriod()).contains(ResetPeriod.MONTH);
    assertThat(next.periodAnchor()).isEqualTo(month.periodAnchor());
  }

  private static Entitlement calls(double current, UsageWindow window) {
    return Entitlement.builder(CALLS).usageLimit(100).usage(current, window).build();
  }
}
