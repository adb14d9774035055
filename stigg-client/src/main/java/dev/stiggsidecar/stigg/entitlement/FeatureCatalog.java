package dev.stiggsidecar.stigg.entitlement;

import com.github.benmanes.caffeine.cache.Interner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Interns the parts of entitlements that repeat across customers (features, reset configurations,
 * enum value lists, entitlements' terms, usage windows), so that cached entitlements share one
 * instance of each. A catalogue is small (tens to hundreds of distinct values) while cached
 * entitlements number in the millions, so this trades a few tiny maps for most of the
 * per-entitlement object and string cost.
 */
public final class FeatureCatalog {

  private final ConcurrentMap<Feature, Feature> features = new ConcurrentHashMap<>();
  private final ConcurrentMap<ResetConfiguration, ResetConfiguration> resetConfigurations = new ConcurrentHashMap<>();
  private final ConcurrentMap<java.util.List<String>, java.util.List<String>> enumValues = new ConcurrentHashMap<>();
  private final Interner<Entitlement.Terms> terms = Interner.newWeakInterner();
  private final LossyInterner<Entitlement.Terms> meteredTerms = new LossyInterner<>(4096);
  private final LossyInterner<UsageWindow> usageWindows = new LossyInterner<>(4096);

  public Feature intern(Feature feature) {
    Feature existing = features.putIfAbsent(feature, feature);
    return existing == null ? feature : existing;
  }

  public ResetConfiguration intern(ResetConfiguration configuration) {
    ResetConfiguration existing = resetConfigurations.putIfAbsent(configuration, configuration);
    return existing == null ? configuration : existing;
  }

  /** One shared immutable list per distinct list of enum values. */
  public java.util.List<String> intern(java.util.List<String> values) {
    java.util.List<String> copy = java.util.List.copyOf(values);
    java.util.List<String> existing = enumValues.putIfAbsent(copy, copy);
    return existing == null ? copy : existing;
  }

  /**
   * A shared instance of the window while it recurs: a subscription's metered features count in
   * the same window (they arrive together), and so do customers whose subscriptions reset together.
   * A window anchored at a subscription's own start is often its customer's alone, so this is a
   * {@link LossyInterner}, which costs nothing per window.
   */
  public UsageWindow intern(UsageWindow window) {
    return usageWindows.intern(window);
  }

  /**
   * The entitlement with a shared instance of its terms. A customer's boolean, numeric and enum
   * entitlements are mostly the same as thousands of other customers' (same feature, limit and
   * flags): an entitlement without usage is its terms, and every customer gets one instance of it,
   * held weakly, so that per-customer limits or dates that no cached customer refers to any more go
   * with a garbage collection. An entitlement with usage keeps its own usage and window and shares
   * its terms while they recur ({@link LossyInterner}): a plan's metered limit repeats, but one
   * raised by a customer's add-ons is often that customer's alone, and a complete interner's entry
   * would then cost more than the terms it shares.
   */
  public Entitlement intern(Entitlement entitlement) {
    Entitlement.Terms shared = entitlement.hasUsage()
        ? meteredTerms.intern(entitlement.terms()) : terms.intern(entitlement.terms());
    return entitlement.withTerms(shared);
  }

  public int size() {
    return features.size();
  }
}
