package dev.stiggsidecar.sidecar.config;

import dev.stiggsidecar.contract.ConfigException;
import dev.stiggsidecar.contract.EnvReader;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.sidecar.decision.FallbackValue;
import dev.stiggsidecar.stigg.upstream.StiggEndpoints;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link SidecarConfig} from environment variables, with Stigg's names and defaults. Collects
 * every problem before failing, so one start tells the operator everything to fix.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** Loads from the process environment; the cache defaults to half the JVM's maximum heap. */
  public static SidecarConfig fromEnvironment() throws ConfigException {
    return load(System.getenv(), Runtime.getRuntime().maxMemory());
  }

  public static SidecarConfig load(Map<String, String> environment, long maxHeapBytes) throws ConfigException {
    EnvReader env = new EnvReader(environment);
    boolean offline = env.bool(SidecarEnv.OFFLINE, false);
    StiggEndpoints stigg = StiggEndpoints.read(env, !offline, "; or set OFFLINE=true to run on fallbacks alone");
    Map<String, FallbackValue> fallbacks = env.text(SidecarEnv.ENTITLEMENTS_FALLBACK)
        .map(json -> FallbackParser.parse(json, env.problems())).orElse(Map.of());
    long cacheBytes = env.number(SidecarEnv.CACHE_MAX_SIZE_BYTES, Math.max(1, maxHeapBytes / 2), 1, Long.MAX_VALUE,
        "bytes, e.g. 268435456 for 256 MiB");
    String logLevel = env.logLevel();
    int grpcPort = env.port(SidecarEnv.PORT, SidecarEnv.DEFAULT_PORT);
    int httpPort = env.port(SidecarEnv.HTTP_PORT, SidecarEnv.DEFAULT_HTTP_PORT);
    if (grpcPort == httpPort && grpcPort != 0) {
      env.problem(SidecarEnv.HTTP_PORT + ": must differ from " + SidecarEnv.PORT + " (both are " + grpcPort + ")");
    }
    long stalenessSecs = env.number(SidecarEnv.CACHE_MAX_STALENESS_SECS, SidecarEnv.DEFAULT_CACHE_MAX_STALENESS_SECS,
        1, 86_400, "seconds");
    long revalidationRate = env.number(SidecarEnv.CACHE_REVALIDATION_RATE, SidecarEnv.DEFAULT_CACHE_REVALIDATION_RATE,
        1, 10_000, "entries per second");
    long graceSecs = env.number(SidecarEnv.SHUTDOWN_GRACE_SECS, SidecarEnv.DEFAULT_SHUTDOWN_GRACE_SECS, 0, 600,
        "seconds");
    Optional<RedisSettings> redis = RedisSettings.read(env);
    env.finish();
    return new SidecarConfig(stigg.apiKey(), stigg.graphqlUrl(), stigg.edgeEnabled(), stigg.edgeUrl(),
        stigg.websocketEnabled(), stigg.websocketUrl(), fallbacks, cacheBytes, offline,
        env.text(SidecarEnv.GRPC_BIND_ADDRESS).orElse(SidecarEnv.DEFAULT_GRPC_BIND_ADDRESS), grpcPort,
        env.text(SidecarEnv.HTTP_BIND_ADDRESS).orElse(SidecarEnv.DEFAULT_HTTP_BIND_ADDRESS), httpPort, logLevel,
        stigg.upstreamTimeout(), Duration.ofSeconds(stalenessSecs), (int) revalidationRate, Duration.ofSeconds(graceSecs),
        redis);
  }
}
