package dev.stiggsidecar.api.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.EffectiveSpec.ExternalRedis;
import dev.stiggsidecar.api.model.EffectiveSpec.MemoryCache;
import dev.stiggsidecar.api.model.EffectiveSpec.RedisCache;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sidecar's environment as the operator renders it: plain settings go to the ConfigMap,
 * secrets only as references. The same names are read by the sidecar and the persistent cache.
 */
public final class SidecarEnvironment {

  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private SidecarEnvironment() {}

  /** ConfigMap data: every non-secret setting, sorted, so equal specs give byte-equal objects. */
  public static SortedMap<String, String> configData(EffectiveSpec spec) {
    SortedMap<String, String> data = new TreeMap<>();
    data.put(SidecarEnv.PORT, Integer.toString(spec.grpcPort()));
    data.put(SidecarEnv.HTTP_PORT, Integer.toString(spec.httpPort()));
    data.put(SidecarEnv.LOG_LEVEL, spec.logLevel());
    data.put(SidecarEnv.OFFLINE, Boolean.toString(spec.offline()));
    spec.apiUrl().ifPresent(url -> data.put(SidecarEnv.API_URL, url));
    data.put(SidecarEnv.EDGE_ENABLED, Boolean.toString(spec.edgeEnabled()));
    spec.edgeUrl().ifPresent(url -> data.put(SidecarEnv.EDGE_API_URL, url));
    data.put(SidecarEnv.WS_ENABLED, Boolean.toString(spec.realtimeEnabled()));
    spec.realtimeUrl().ifPresent(url -> data.put(SidecarEnv.WS_URL, url));
    if (!spec.fallbacks().isEmpty()) {
      data.put(SidecarEnv.ENTITLEMENTS_FALLBACK, fallbackJson(spec));
    }
    if (spec.cache() instanceof MemoryCache memory) {
      memory.maxSizeBytes().ifPresent(bytes -> data.put(SidecarEnv.CACHE_MAX_SIZE_BYTES, Long.toString(bytes)));
    } else if (spec.cache() instanceof RedisCache redis) {
      data.put(SidecarEnv.REDIS_ENVIRONMENT_PREFIX, redis.keyPrefix());
      data.put(SidecarEnv.REDIS_KEYS_TTL_IN_SECS, Integer.toString(redis.keysTtlSeconds()));
      if (redis.target() instanceof ExternalRedis external) {
        data.put(SidecarEnv.REDIS_HOST, external.host());
        data.put(SidecarEnv.REDIS_PORT, Integer.toString(external.port()));
        data.put(SidecarEnv.REDIS_DB, Integer.toString(external.db()));
        data.put(SidecarEnv.REDIS_TLS, Boolean.toString(external.tls()));
        external.username().ifPresent(user -> data.put(SidecarEnv.REDIS_USERNAME, user));
      } else {
        data.put(SidecarEnv.REDIS_HOST, StiggSidecarResources.redisName(spec.name()));
        data.put(SidecarEnv.REDIS_PORT, Integer.toString(EffectiveSpec.DEFAULT_REDIS_PORT));
        data.put(SidecarEnv.REDIS_DB, "0");
        data.put(SidecarEnv.REDIS_TLS, "false");
      }
    }
    return data;
  }

  /**
   * Container env entries that reference Secrets: the API key, and the Redis password (the user's
   * for an external Redis, if any; the operator's generated one for the managed Redis).
   */
  public static List<EnvVar> secretEnv(EffectiveSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    env.add(secretVar(SidecarEnv.SERVER_API_KEY, spec.apiKey().name(), spec.apiKey().key()));
    if (spec.cache() instanceof RedisCache redis) {
      if (redis.target() instanceof ExternalRedis external) {
        external.password().ifPresent(ref -> env.add(secretVar(SidecarEnv.REDIS_PASSWORD, ref.name(), ref.key())));
      } else {
        env.add(managedRedisPassword(spec, SidecarEnv.REDIS_PASSWORD));
      }
    }
    return env;
  }

  /** The managed Redis's password, from the Secret the operator generates, as {@code name}. */
  public static EnvVar managedRedisPassword(EffectiveSpec spec, String name) {
    return secretVar(name, StiggSidecarResources.redisAuthName(spec.name()), StiggSidecarResources.REDIS_PASSWORD_KEY);
  }

  private static EnvVar secretVar(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }

  private static String fallbackJson(EffectiveSpec spec) {
    try {
      return JSON.writeValueAsString(spec.fallbacks());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
