package dev.stiggsidecar.sidecar.config;

import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.sidecar.decision.FallbackValue;
import dev.stiggsidecar.stigg.upstream.ApiKey;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The sidecar's configuration, parsed once from the environment ({@link ConfigLoader}).
 *
 * @param graphqlUrl {@code API_URL} with {@code /graphql}
 * @param edgeUrl the Edge base URL, explicit or derived from {@code API_URL}
 * @param websocketUrl the real-time URL with {@code /graphql}, explicit or derived
 * @param fallbacks {@code ENTITLEMENTS_FALLBACK}, by feature id
 * @param maxStaleness how old a cached entry may be while real-time updates are off or down
 * @param revalidationRate entries refetched per second at most after the real-time stream (re)connects
 * @param redis Redis cache mode, when {@code REDIS_ENVIRONMENT_PREFIX} is set
 */
public record SidecarConfig(ApiKey apiKey, URI graphqlUrl, boolean edgeEnabled, URI edgeUrl, boolean websocketEnabled,
    URI websocketUrl, Map<String, FallbackValue> fallbacks, long cacheMaxSizeBytes, boolean offline,
    String grpcBindAddress, int grpcPort, String httpBindAddress, int httpPort, String logLevel,
    Duration upstreamTimeout, Duration maxStaleness, int revalidationRate, Duration shutdownGrace,
    java.util.Optional<RedisSettings> redis) {

  public SidecarConfig {
    fallbacks = Map.copyOf(fallbacks);
  }

  public SidecarConfig withPorts(int newGrpcPort, int newHttpPort) {
    return new SidecarConfig(apiKey, graphqlUrl, edgeEnabled, edgeUrl, websocketEnabled, websocketUrl, fallbacks,
        cacheMaxSizeBytes, offline, grpcBindAddress, newGrpcPort, httpBindAddress, newHttpPort, logLevel,
        upstreamTimeout, maxStaleness, revalidationRate, shutdownGrace, redis);
  }
}
