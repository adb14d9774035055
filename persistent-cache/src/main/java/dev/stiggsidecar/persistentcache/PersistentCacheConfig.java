package dev.stiggsidecar.persistentcache;

import dev.stiggsidecar.contract.ConfigException;
import dev.stiggsidecar.contract.EnvReader;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.stigg.upstream.StiggEndpoints;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persistent cache's configuration: the sidecar's names for what it shares with the sidecars
 * (Stigg's endpoints and key, the Redis settings), and only those. The operator gives it the
 * sidecars' whole environment; what it does not read is named once at start ({@link #ignored}).
 *
 * @param ignored the sidecar settings present in the environment that the persistent cache does not use
 */
public record PersistentCacheConfig(StiggEndpoints stigg, RedisSettings redis, String httpBindAddress, int httpPort,
    String logLevel, List<String> ignored) {

  /** Sidecar settings the persistent cache has no use for (it serves no checks and keeps no local cache). */
  private static final List<String> SIDECAR_ONLY = List.of(SidecarEnv.PORT, SidecarEnv.GRPC_BIND_ADDRESS,
      SidecarEnv.ENTITLEMENTS_FALLBACK, SidecarEnv.CACHE_MAX_SIZE_BYTES, SidecarEnv.CACHE_MAX_STALENESS_SECS,
      SidecarEnv.SHUTDOWN_GRACE_SECS, SidecarEnv.EDGE_ENABLED, SidecarEnv.EDGE_API_URL, SidecarEnv.REDIS_NEAR_CACHE,
      SidecarEnv.REDIS_STARTUP_WAIT_MS, SidecarEnv.CACHE_REVALIDATION_RATE);

  public static PersistentCacheConfig load(Map<String, String> environment) throws ConfigException {
    EnvReader env = new EnvReader(environment);
    StiggEndpoints stigg = StiggEndpoints.read(env, true, "");
    Optional<RedisSettings> redis = RedisSettings.read(env);
    if (redis.isEmpty()) {
      env.problem(SidecarEnv.REDIS_ENVIRONMENT_PREFIX
          + ": required: the key prefix shared with the sidecars in Redis mode");
    }
    if (env.bool(SidecarEnv.OFFLINE, false)) {
      env.problem(SidecarEnv.OFFLINE + ": the persistent cache needs Stigg's stream; unset OFFLINE");
    }
    if (!stigg.websocketEnabled()) {
      env.problem(SidecarEnv.WS_ENABLED + ": the persistent cache follows Stigg's real-time stream; unset WS_ENABLED");
    }
    int httpPort = env.port(SidecarEnv.HTTP_PORT, SidecarEnv.DEFAULT_HTTP_PORT);
    String logLevel = env.logLevel();
    env.finish();
    return new PersistentCacheConfig(stigg, redis.orElseThrow(),
        env.text(SidecarEnv.HTTP_BIND_ADDRESS).orElse(SidecarEnv.DEFAULT_HTTP_BIND_ADDRESS), httpPort, logLevel,
        SIDECAR_ONLY.stream().filter(name -> env.text(name).isPresent()).toList());
  }
}
