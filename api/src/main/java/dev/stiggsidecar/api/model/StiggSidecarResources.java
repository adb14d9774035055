package dev.stiggsidecar.api.model;

import java.util.Map;
import java.util.TreeMap;

/** Names and labels of every object owned by a {@code StiggSidecar}, shared by operator, renderer and tests. */
public final class StiggSidecarResources {

  public static final String MANAGED_BY = "stigg-sidecar-operator";
  public static final String COMPONENT_REDIS = "redis";
  public static final String COMPONENT_PERSISTENT_CACHE = "persistent-cache";
  public static final String COMPONENT_STANDALONE = "standalone-sidecar";
  public static final String COMPONENT_CONFIG = "sidecar-config";

  private StiggSidecarResources() {}

  /** The ConfigMap holding the sidecar's environment; injected containers take it with envFrom. */
  public static String configMapName(String owner) {
    return owner + "-sidecar-env";
  }

  public static String redisName(String owner) {
    return owner + "-redis";
  }

  public static String persistentCacheName(String owner) {
    return owner + "-persistent-cache";
  }

  public static String standaloneName(String owner) {
    return owner + "-sidecar";
  }

  /** Labels on every owned object and its pods; the selector uses name, instance and component. */
  public static Map<String, String> labels(String owner, String component) {
    Map<String, String> labels = new TreeMap<>(selector(owner, component));
    labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
    labels.put("app.kubernetes.io/part-of", "stigg-sidecar");
    return labels;
  }

  public static Map<String, String> selector(String owner, String component) {
    Map<String, String> selector = new TreeMap<>();
    selector.put("app.kubernetes.io/name", "stigg-" + component);
    selector.put("app.kubernetes.io/instance", owner);
    selector.put("app.kubernetes.io/component", component);
    return selector;
  }
}
