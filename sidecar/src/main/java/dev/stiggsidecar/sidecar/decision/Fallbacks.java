package dev.stiggsidecar.sidecar.decision;

import java.util.Map;
import java.util.Optional;

/**
 * Which fallback a check gets: the request's own, else {@code ENTITLEMENTS_FALLBACK}'s entry for the
 * feature, else none (the type default: no access, reason {@code UNKNOWN}). The chosen value is
 * taken whole, never merged field by field with the other source, as in Stigg's engine.
 */
public final class Fallbacks {

  private final Map<String, FallbackValue> global;

  public Fallbacks(Map<String, FallbackValue> global) {
    this.global = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(global));
  }

  public static Fallbacks none() {
    return new Fallbacks(Map.of());
  }

  FallbackValue forCheck(Check check) {
    return check.fallback().or(() -> Optional.ofNullable(global.get(check.featureId()))).orElse(FallbackValue.NONE);
  }

  /** The global fallbacks, answered as the entitlement list when Stigg cannot be reached. */
  public Map<String, FallbackValue> global() {
    return global;
  }
}
