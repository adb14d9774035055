package dev.stiggsidecar.api.model;

import java.util.Map;

/**
 * Images used when a {@code StiggSidecar} names none. They come from the operator's own environment,
 * which {@code manifests/} sets from its kustomize {@code images:} list, so one place names them all.
 */
public record OperatorDefaults(String sidecarImage, String persistentCacheImage, String redisImage) {

  public static final String SIDECAR_IMAGE = "SIDECAR_IMAGE";
  public static final String PERSISTENT_CACHE_IMAGE = "PERSISTENT_CACHE_IMAGE";
  public static final String REDIS_IMAGE = "REDIS_IMAGE";

  /** Reads the three image variables, defaulting to this build's own image tags. */
  public static OperatorDefaults fromEnv(Map<String, String> env) {
    String version = versionOr("latest");
    return new OperatorDefaults(
        env.getOrDefault(SIDECAR_IMAGE, "stigg-sidecar:" + version),
        env.getOrDefault(PERSISTENT_CACHE_IMAGE, "stigg-persistent-cache:" + version),
        env.getOrDefault(REDIS_IMAGE, "redis:7.4-alpine"));
  }

  private static String versionOr(String fallback) {
    String version = OperatorDefaults.class.getPackage().getImplementationVersion();
    return version == null ? fallback : version;
  }
}
