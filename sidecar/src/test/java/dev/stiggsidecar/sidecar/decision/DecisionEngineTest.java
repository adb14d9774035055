package dev.stiggsidecar.sidecar.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CreditRate;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.DenialReason;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.Feature;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.MeterType;
import dev.stiggsidecar.stigg.entitlement.ResetPeriod;
import dev.stiggsidecar.stigg.entitlement.UsageWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table, row by row, in the order the engine applies it. */
class DecisionEngineTest {

  private static final long NOW = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
  private static final long DAY = 86_400_000L;

  private static final Feature SSO = new Feature("sso", FeatureType.BOOLEAN, Optional.of(MeterType.NONE), "", "");
  private static final Feature SEATS = new Feature("seats", FeatureType.NUMBER, Optional.of(MeterType.NONE), "seat", "seats");
  private static final Feature CALLS = new Feature("calls", FeatureType.NUMBER, Optional.of(MeterType.INCREMENTAL), "", "");
  private static final Feature STORAGE = new Feature("storage", FeatureType.NUMBER, Optional.of(MeterType.FLUCTUATING), "", "");
  private static final Feature RAW_NUMBER = new Feature("raw", FeatureType.NUMBER, Optional.empty(), "", "");
  private static final Feature REGION = new Feature("region", FeatureType.ENUM, Optional.empty(), "", "");

  private static final CustomerEntitlements NOBODY = CustomerEntitlements.of(List.of(), 0, 0);

  private final DecisionEngine engine = new DecisionEngine(new Fallbacks(Map.of(
      "calls", new FallbackValue(true, OptionalInt.empty(), Optional.empty(), OptionalDouble.of(77), List.of()),
      "sso", FallbackValue.access(true))));

  static Stream<Arguments> table() {
    return Stream.of(
        row("1 customer not found", NOBODY, Check.of(CheckKind.BOOLEAN, "sso"),
            false, false, DenialReason.CUSTOMER_NOT_FOUND),
        row("2 no entitlement to the feature", entry(bool(SSO)), Check.of(CheckKind.METERED, "calls"),
            false, false, DenialReason.NO_FEATURE_ENTITLEMENT_IN_SUBSCRIPTION),
        row("3 Stigg's own denial reason", entry(Entitlement.builder(SSO).denialReason(DenialReason.REVOKED).build()),
            Check.of(CheckKind.BOOLEAN, "sso"), false, false, DenialReason.REVOKED),
        row("4 boolean granted", entry(bool(SSO)), Check.of(CheckKind.BOOLEAN, "sso"), true, false, null),
        row("5 enum: a requested value not entitled", entry(region("us", "eu")), enumCheck("us", "apac"),
            false, false, DenialReason.REQUESTED_VALUES_MISMATCH),
        row("6 enum: every requested value entitled", entry(region("us", "eu")), enumCheck("eu", "us"),
            true, false, null),
        row("6 enum: no values requested", entry(region("us")), enumCheck(), true, false, null),
        row("7 numeric (meter None) ignores usage", entry(Entitlement.builder(SEATS).usageLimit(5)
            .usage(9, window(Entitlement.NO_DATE)).build()), Check.of(CheckKind.NUMERIC, "seats"), true, false, null),
        row("8 metered unlimited", entry(Entitlement.builder(CALLS).unlimited(true).usage(1e9, window(Entitlement.NO_DATE))
            .build()), metered(1e6), true, false, null),
        row("8 metered soft limit", entry(Entitlement.builder(STORAGE).softLimit(true).usageLimit(10)
            .usage(10, window(Entitlement.NO_DATE)).build()), new Check(CheckKind.METERED, "storage", OptionalDouble.of(5),
            List.of(), Optional.empty()), true, false, null),
        row("9 metered within the limit (equal)", entry(calls(10, 7)), metered(3), true, false, null),
        row("10 metered over the limit", entry(calls(10, 7)), metered(4),
            false, false, DenialReason.REQUESTED_USAGE_EXCEEDING_LIMIT),
        row("9 metered without requested usage counts 0", entry(calls(10, 10)), Check.of(CheckKind.METERED, "calls"),
            true, false, null),
        row("10 metered without a limit counts a limit of 0", entry(Entitlement.builder(CALLS)
            .usage(0, window(Entitlement.NO_DATE)).build()), metered(1), false, false,
            DenialReason.REQUESTED_USAGE_EXCEEDING_LIMIT),
        row("number without meter type: answered numeric, decided by usage", entry(Entitlement.builder(RAW_NUMBER)
            .usageLimit(5).usage(6, window(Entitlement.NO_DATE)).build()), Check.of(CheckKind.NUMERIC, "raw"),
            false, false, DenialReason.REQUESTED_USAGE_EXCEEDING_LIMIT),
        row("ended usage window rolls over to zero", entry(Entitlement.builder(CALLS).usageLimit(10)
            .usage(10, new UsageWindow(Optional.of(ResetPeriod.DAY), Optional.empty(), NOW - 30 * DAY, NOW - 2 * DAY,
                NOW - DAY)).build()), metered(5), true, false, null),
        row("type mismatch: global fallback, FEATURE_TYPE_MISMATCH", entry(calls(10, 0)),
            Check.of(CheckKind.BOOLEAN, "calls"), true, true, DenialReason.FEATURE_TYPE_MISMATCH),
        row("type mismatch: the request's fallback wins", entry(calls(10, 0)), new Check(CheckKind.BOOLEAN, "calls",
            OptionalDouble.empty(), List.of(), Optional.of(FallbackValue.access(false))),
            false, true, DenialReason.FEATURE_TYPE_MISMATCH),
        row("type mismatch: with no fallback declared, the type default denies",
            entry(Entitlement.builder(SEATS).usageLimit(3).build()), Check.of(CheckKind.BOOLEAN, "seats"),
            false, true, DenialReason.FEATURE_TYPE_MISMATCH),
        row("type mismatch: metered check on a numeric feature", entry(Entitlement.builder(SEATS).usageLimit(3).build()),
            Check.of(CheckKind.METERED, "seats"), false, true, DenialReason.FEATURE_TYPE_MISMATCH),
        row("generic check, unknown feature: the fallback as given", entry(bool(SSO)), Check.of(CheckKind.ANY, "calls"),
            true, true, DenialReason.UNKNOWN),
        row("generic check, unknown customer: the fallback", NOBODY, Check.of(CheckKind.ANY, "other"),
            false, true, DenialReason.UNKNOWN),
        row("generic check, known feature: decided", entry(calls(10, 9)), new Check(CheckKind.ANY, "calls",
            OptionalDouble.of(2), List.of(), Optional.empty()), false, false,
            DenialReason.REQUESTED_USAGE_EXCEEDING_LIMIT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, CustomerEntitlements entry, Check check, boolean hasAccess, boolean isFallback,
      DenialReason reason) {
    Decision decision = engine.decide(entry, check, NOW);

    assertThat(decision.hasAccess()).as("has access").isEqualTo(hasAccess);
    assertThat(decision.isFallback()).as("is fallback").isEqualTo(isFallback);
    assertThat(decision.reason()).as("reason").isEqualTo(Optional.ofNullable(reason));
  }

  @Test
  void rolledOverUsageIsWhatTheAnswerCarries() {
    Entitlement ended = Entitlement.builder(CALLS).usageLimit(10).usage(10, new UsageWindow(Optional.of(ResetPeriod.DAY),
        Optional.empty(), NOW - 30 * DAY, NOW - 2 * DAY, NOW - DAY)).build();

    Entitlement answered = engine.decide(entry(ended), metered(1), NOW).entitlement().orElseThrow();

    assertThat(answered.currentUsage()).isZero();
    assertThat(answered.usageWindow().orElseThrow().periodStart()).isEqualTo(NOW - 30 * DAY + 30 * DAY);
    assertThat(answered.usageWindow().orElseThrow().periodEnd()).isEqualTo(NOW + DAY);
  }

  @Test
  void aGenericCheckIsAnsweredAsTheFeaturesKind() {
    assertThat(engine.decide(entry(calls(10, 0)), Check.of(CheckKind.ANY, "calls"), NOW).kind()).isEqualTo(CheckKind.METERED);
    assertThat(engine.decide(entry(region("us")), Check.of(CheckKind.ANY, "region"), NOW).kind()).isEqualTo(CheckKind.ENUM);
    assertThat(engine.decide(entry(Entitlement.builder(SEATS).build()), Check.of(CheckKind.ANY, "seats"), NOW).kind())
        .isEqualTo(CheckKind.NUMERIC);
  }

  @Test
  void aFallbacksShapeFollowsWhatTheGenericCheckAsks() {
    assertThat(engine.fallback(new Check(CheckKind.ANY, "x", OptionalDouble.of(1), List.of(), Optional.empty())).kind())
        .isEqualTo(CheckKind.METERED);
    assertThat(engine.fallback(new Check(CheckKind.ANY, "x", OptionalDouble.empty(), List.of("a"), Optional.empty())).kind())
        .isEqualTo(CheckKind.ENUM);
    assertThat(engine.fallback(new Check(CheckKind.ANY, "x", OptionalDouble.empty(), List.of(), Optional.of(
        new FallbackValue(true, OptionalInt.of(3), Optional.empty(), OptionalDouble.empty(), List.of())))).kind())
        .isEqualTo(CheckKind.NUMERIC);
    assertThat(engine.fallback(Check.of(CheckKind.ANY, "x")).kind()).isEqualTo(CheckKind.BOOLEAN);
  }

  @Test
  void fallbackPrecedenceIsRequestThenGlobalThenTypeDefault() {
    Decision request = engine.fallback(new Check(CheckKind.METERED, "calls", OptionalDouble.empty(), List.of(),
        Optional.of(FallbackValue.access(false))));
    Decision global = engine.fallback(Check.of(CheckKind.METERED, "calls"));
    Decision none = engine.fallback(Check.of(CheckKind.METERED, "other"));

    assertThat(request.hasAccess()).isFalse();
    assertThat(request.fallback().orElseThrow().usageLimit()).as("taken whole, not merged").isEmpty();
    assertThat(global.hasAccess()).isTrue();
    assertThat(global.fallback().orElseThrow().usageLimit()).hasValue(77);
    assertThat(none.hasAccess()).isFalse();
    assertThat(none.reason()).hasValue(DenialReason.UNKNOWN);
    assertThat(none.isFallback()).isTrue();
  }

  @Test
  void decideAllListsEveryEntitlementWithoutRequestedUsage() {
    List<Decision> all = engine.decideAll(entry(bool(SSO), calls(10, 10), region("eu")), NOW);

    assertThat(all).extracting(Decision::kind).containsExactlyInAnyOrder(CheckKind.BOOLEAN, CheckKind.METERED, CheckKind.ENUM);
    assertThat(all).allSatisfy(decision -> assertThat(decision.hasAccess()).isTrue());
  }

  @Test
  void fallbackListHasEveryGlobalFallbackFlaggedUnknown() {
    assertThat(engine.fallbackList()).extracting(ListedFallback::featureId).containsExactly("calls", "sso");
    assertThat(engine.fallbackList()).allSatisfy(listed -> {
      assertThat(listed.decision().isFallback()).isTrue();
      assertThat(listed.decision().reason()).hasValue(DenialReason.UNKNOWN);
    });
    assertThat(engine.fallbackList().get(0).decision().kind()).isEqualTo(CheckKind.METERED);
  }

  private static Arguments row(String name, CustomerEntitlements entry, Check check, boolean hasAccess,
      boolean isFallback, DenialReason reason) {
    return Arguments.of(name, entry, check, hasAccess, isFallback, reason);
  }

  private static CustomerEntitlements entry(Entitlement... entitlements) {
    return CustomerEntitlements.of(List.of(entitlements), 0, 0);
  }

  private static Entitlement bool(Feature feature) {
    return Entitlement.builder(feature).build();
  }

  private static Entitlement calls(double limit, double current) {
    return Entitlement.builder(CALLS).usageLimit(limit).usage(current, window(Entitlement.NO_DATE)).build();
  }

  private static Entitlement region(String... values) {
    return Entitlement.builder(REGION).enumValues(List.of(values)).build();
  }

  private static UsageWindow window(long end) {
    return UsageWindow.between(Entitlement.NO_DATE, end);
  }

  private static Check metered(double requested) {
    return new Check(CheckKind.METERED, "calls", OptionalDouble.of(requested), List.of(), Optional.empty());
  }

  private static Check enumCheck(String... values) {
    return new Check(CheckKind.ENUM, "region", OptionalDouble.empty(), List.of(values), Optional.empty());
  }

  @Test
  void creditChecksDecideFromThePushedBalanceElseFromWhatStiggComputed() {
    Feature tokens = new Feature("tokens", FeatureType.NUMBER, Optional.of(MeterType.INCREMENTAL), "", "");
    Entitlement priced = Entitlement.builder(tokens).creditRate(new CreditRate(0.5, "credits")).build();
    CreditBalance some = new CreditBalance("credits", "Credits", "credit", "credits", 12, 88, 100, Entitlement.NO_DATE);
    CreditBalance none = new CreditBalance("credits", "Credits", "credit", "credits", 0, 100, 100, Entitlement.NO_DATE);

    CreditDecision remaining = engine.decideCredit(entry(priced).withCreditBalance(some), "credits");
    assertThat(remaining.hasAccess()).isTrue();
    assertThat(remaining.reason()).isEmpty();
    assertThat(remaining.balance()).contains(some);

    CreditDecision spent = engine.decideCredit(entry(priced).withCreditBalance(none), "credits");
    assertThat(spent.hasAccess()).isFalse();
    assertThat(spent.reason()).contains(DenialReason.INSUFFICIENT_CREDITS);

    assertThat(engine.decideCredit(entry(priced), "credits").hasAccess()).as("no balance yet: Stigg's access").isTrue();
    CreditDecision denied = engine.decideCredit(entry(Entitlement.builder(tokens).creditRate(new CreditRate(0.5, "credits"))
        .denialReason(DenialReason.INSUFFICIENT_CREDITS).build()), "credits");
    assertThat(denied.hasAccess()).isFalse();
    assertThat(denied.reason()).contains(DenialReason.INSUFFICIENT_CREDITS);

    assertThat(engine.decideCredit(entry(bool(SSO)), "credits").reason()).contains(DenialReason.ENTITLEMENT_NOT_FOUND);
    assertThat(engine.decideCredit(NOBODY, "credits").reason()).contains(DenialReason.CUSTOMER_NOT_FOUND);
  }
}
