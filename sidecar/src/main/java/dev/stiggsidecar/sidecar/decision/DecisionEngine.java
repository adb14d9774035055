package dev.stiggsidecar.sidecar.decision;

import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.DenialReason;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.MeterType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides checks from cached entitlements: a pure function of (entitlements, check, now), with no
 * I/O, so every rule is table-tested.
 *
 * <p>Design notes. The rules and their order are those of Stigg's own engine (the Node server SDK
 * that Stigg's sidecar is built on), because clients depend on the exact answers:
 * <ol>
 *   <li>customer unknown (empty entitlement list): denied, {@code CUSTOMER_NOT_FOUND};
 *   <li>no entitlement to the feature: denied, {@code NO_FEATURE_ENTITLEMENT_IN_SUBSCRIPTION};
 *   <li>a reason Stigg computed (cancelled, revoked, out of credits...): denied with it;
 *   <li>boolean: granted; enum: granted unless a requested value is not entitled
 *       ({@code REQUESTED_VALUES_MISMATCH});
 *   <li>number with meter type {@code None}: granted; unlimited or soft limit: granted;
 *       otherwise granted while {@code currentUsage + requestedUsage <= usageLimit} (no limit counts
 *       as 0), else {@code REQUESTED_USAGE_EXCEEDING_LIMIT}. A number Stigg sends without a meter
 *       type is answered as numeric but decided by this usage rule, exactly as Stigg's engine does.
 * </ol>
 * A typed check (boolean, numeric, metered, enum) whose cached feature has another type answers the
 * fallback with {@code FEATURE_TYPE_MISMATCH}. Unknown customers and features are not fallbacks for
 * typed checks ({@code isFallback} false); a generic check answers them with the fallback. Usage
 * windows that have ended roll over locally before deciding (zero usage in the current window).
 */
public final class DecisionEngine {

  private final Fallbacks fallbacks;

  public DecisionEngine(Fallbacks fallbacks) {
    this.fallbacks = fallbacks;
  }

  /** Decides {@code check} from the cached {@code entry} at {@code nowMillis}. */
  public Decision decide(CustomerEntitlements entry, Check check, long nowMillis) {
    Optional<Entitlement> found = entry.find(check.featureId()).map(entitlement -> entitlement.rolledOver(nowMillis));
    if (found.isPresent() && !check.kind().accepts(found.get().feature())) {
      return Decision.fallback(check.kind(), fallbacks.forCheck(check), DenialReason.FEATURE_TYPE_MISMATCH);
    }
    if (found.isEmpty()) {
      if (check.kind() == CheckKind.ANY) {
        return fallback(check);
      }
      return Decision.notEntitled(check.kind(), entry.customerExists()
          ? DenialReason.NO_FEATURE_ENTITLEMENT_IN_SUBSCRIPTION
          : DenialReason.CUSTOMER_NOT_FOUND);
    }
    Entitlement entitlement = found.get();
    DenialReason denial = denial(entry.customerExists(), entitlement, check.requestedUsage().orElse(0),
        check.requestedValues());
    CheckKind kind = check.kind() == CheckKind.ANY ? CheckKind.of(entitlement.feature()) : check.kind();
    return Decision.evaluated(kind, entitlement, denial == null, denial);
  }

  /**
   * A credit check: from the last pushed balance of the currency (access while something
   * remains); without one, from the access Stigg computed for the entitlements priced in it; with
   * neither, not entitled.
   */
  public CreditDecision decideCredit(CustomerEntitlements entry, String currencyId) {
    Optional<CreditBalance> balance = entry.creditBalance(currencyId);
    if (balance.isPresent()) {
      boolean remains = balance.get().currentBalance() > 0;
      return new CreditDecision(remains, remains ? Optional.empty() : Optional.of(DenialReason.INSUFFICIENT_CREDITS),
          balance);
    }
    List<Entitlement> priced = entry.all().stream()
        .filter(entitlement -> entitlement.creditRate().filter(rate -> rate.currencyId().equals(currencyId)).isPresent())
        .toList();
    if (priced.isEmpty()) {
      return new CreditDecision(false, Optional.of(entry.customerExists()
          ? DenialReason.ENTITLEMENT_NOT_FOUND : DenialReason.CUSTOMER_NOT_FOUND), Optional.empty());
    }
    Optional<DenialReason> denial = priced.stream().flatMap(entitlement -> entitlement.denialReason().stream())
        .findFirst();
    return new CreditDecision(denial.isEmpty(), denial, Optional.empty());
  }

  /** The fallback answer, for when entitlements cannot be had (upstream down, offline). */
  public Decision fallback(Check check) {
    return Decision.fallback(check.fallbackKind(), fallbacks.forCheck(check), DenialReason.UNKNOWN);
  }

  /** Every cached entitlement of {@code entry}, decided with no requested usage or values. */
  public List<Decision> decideAll(CustomerEntitlements entry, long nowMillis) {
    List<Decision> decisions = new ArrayList<>(entry.size());
    for (Entitlement cached : entry.all()) {
      Entitlement entitlement = cached.rolledOver(nowMillis);
      DenialReason denial = denial(entry.customerExists(), entitlement, 0, List.of());
      decisions.add(Decision.evaluated(CheckKind.of(entitlement.feature()), entitlement, denial == null, denial));
    }
    return decisions;
  }

  /** {@code ENTITLEMENTS_FALLBACK} as a list, each entry flagged as a fallback with reason {@code UNKNOWN}. */
  public List<ListedFallback> fallbackList() {
    List<ListedFallback> listed = new ArrayList<>();
    fallbacks.global().forEach((featureId, value) ->
        listed.add(new ListedFallback(featureId, Decision.fallback(value.listedKind(), value, DenialReason.UNKNOWN))));
    return listed;
  }

  /** Rules 1 to 5 for a present entitlement; {@code null} means access is granted. */
  private static DenialReason denial(boolean customerExists, Entitlement entitlement, double requestedUsage,
      List<String> requestedValues) {
    if (!customerExists) {
      return DenialReason.CUSTOMER_NOT_FOUND;
    }
    Optional<DenialReason> precomputed = entitlement.denialReason();
    if (precomputed.isPresent()) {
      return precomputed.get();
    }
    FeatureType type = entitlement.feature().type();
    if (type == FeatureType.BOOLEAN) {
      return null;
    }
    if (type == FeatureType.ENUM) {
      for (String value : requestedValues) {
        if (!entitlement.allowsEnumValue(value)) {
          return DenialReason.REQUESTED_VALUES_MISMATCH;
        }
      }
      return null;
    }
    if (entitlement.feature().meterType().filter(meter -> meter == MeterType.NONE).isPresent()
        || entitlement.hasUnlimitedUsage() || entitlement.hasSoftLimit()) {
      return null;
    }
    double limit = entitlement.hasUsageLimit() ? entitlement.usageLimit() : 0;
    double current = entitlement.currentUsage();
    return current + requestedUsage <= limit ? null : DenialReason.REQUESTED_USAGE_EXCEEDING_LIMIT;
  }
}
