package dev.stiggsidecar.sidecar.entitlement;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Interns {@link Feature}s so that every cached entitlement to a feature shares one instance and one
 * id string. A catalogue of features is small (tens to hundreds) while cached entitlements number
 * in the millions, so this trades a tiny map for most of the per-entitlement string cost.
 */
public final class FeatureCatalog {

  private final ConcurrentMap<Feature, Feature> features = new ConcurrentHashMap<>();

  public Feature intern(Feature feature) {
    Feature existing = features.putIfAbsent(feature, feature);
    return existing == null ? feature : existing;
  }

  public int size() {
    return features.size();
  }
}
