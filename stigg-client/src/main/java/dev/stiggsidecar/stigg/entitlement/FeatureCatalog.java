package dev.stiggsidecar.stigg.entitlement;

import com.github.benmanes.caffeine.cache.Interner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Interns the parts of entitlements that repeat across customers (features, reset configurations,
 * enum value lists), so that every cached entitlement shares one instance of each. A catalogue is
 * small (tens to hundreds of distinct values) while cached entitlements number in the millions, so
 * this trades a few tiny maps for most of the per-entitlement object and string cost.
 */
public final class FeatureCatalog {

  private final ConcurrentMap<Feature, Feature> features = new ConcurrentHashMap<>();
  private final ConcurrentMap<ResetConfiguration, ResetConfiguration> resetConfigurations = new ConcurrentHashMap<>();
  private final ConcurrentMap<java.util.List<String>, java.util.List<String>> enumValues = new ConcurrentHashMap<>();
  private final Interner<Entitlement.Terms> terms = Interner.newWeakInterner();
  private final Interner<UsageWindow> usageWindows = Interner.newWeakInterner();

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
   * One shared instance per distinct usage window: a subscription's metered features count in the
   * same window, and customers whose subscriptions reset together share it too. Held weakly, as
   * windows move on every period and anchors can be as many as subscriptions.
   */
  public UsageWindow intern(UsageWindow window) {
    return usageWindows.intern(window);
  }

  /**
   * The entitlement with one shared instance of its terms: a customer's boolean, numeric and enum
   * entitlements are mostly the same as thousands of other customers' (same feature, limit and
   * flags), and so are the terms that a metered entitlement's usage counts against. An entitlement
   * without usage is its terms, so it is shared whole; one with usage keeps its own usage and window
   * and shares its terms. Held weakly: terms that no cached customer refers to go with a garbage
   * collection, so per-customer limits or dates cannot grow this without bound.
   */
  public Entitlement intern(Entitlement entitlement) {
    return entitlement.withTerms(terms.intern(entitlement.terms()));
  }

  public int size() {
    return features.size();
  }
}
