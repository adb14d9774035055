package dev.stiggsidecar.sidecar.config;

import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.sidecar.decision.FallbackValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link SidecarConfig} from environment variables, with Stigg's names and defaults. Collects
 * every problem before failing, so one start tells the operator everything to fix. An empty value
 * counts as unset (the Python SDK writes empty strings for unset options).
 */
public final class ConfigLoader {

  private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug");

  private final Map<String, String> env;
  private final long maxHeapBytes;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(Map<String, String> env, long maxHeapBytes) {
    this.env = env;
    this.maxHeapBytes = maxHeapBytes;
  }

  /** Loads from the process environment; the cache defaults to half the JVM's maximum heap. */
  public static SidecarConfig fromEnvironment() throws ConfigException {
    return load(System.getenv(), Runtime.getRuntime().maxMemory());
  }

  public static SidecarConfig load(Map<String, String> env, long maxHeapBytes) throws ConfigException {
    return new ConfigLoader(env, maxHeapBytes).load();
  }

  private SidecarConfig load() throws ConfigException {
    boolean offline = bool(SidecarEnv.OFFLINE, false);
    Optional<String> key = text(SidecarEnv.SERVER_API_KEY);
    if (key.isEmpty() && !offline) {
      problems.add(SidecarEnv.SERVER_API_KEY + ": required: Stigg's server API key (from a Kubernetes Secret); "
          + "or set OFFLINE=true to run on fallbacks alone");
    }
    URI apiUrl = url(SidecarEnv.API_URL, text(SidecarEnv.API_URL).orElse(SidecarEnv.DEFAULT_API_URL),
        List.of("http", "https"));
    URI edgeUrl = text(SidecarEnv.EDGE_API_URL)
        .map(value -> url(SidecarEnv.EDGE_API_URL, value, List.of("http", "https")))
        .orElseGet(() -> derivedEdgeUrl(apiUrl));
    URI websocketUrl = text(SidecarEnv.WS_URL)
        .map(value -> url(SidecarEnv.WS_URL, value, List.of("ws", "wss")))
        .orElseGet(() -> URI.create(apiUrl.toString().replaceFirst("^http", "ws")));
    Map<String, FallbackValue> fallbacks = text(SidecarEnv.ENTITLEMENTS_FALLBACK)
        .map(json -> FallbackParser.parse(json, problems)).orElse(Map.of());
    long cacheBytes = number(SidecarEnv.CACHE_MAX_SIZE_BYTES, Math.max(1, maxHeapBytes / 2), 1, Long.MAX_VALUE,
        "bytes, e.g. 268435456 for 256 MiB");
    String logLevel = text(SidecarEnv.LOG_LEVEL).map(level -> level.toLowerCase(Locale.ROOT))
        .orElse(SidecarEnv.DEFAULT_LOG_LEVEL);
    if (!LOG_LEVELS.contains(logLevel)) {
      problems.add(SidecarEnv.LOG_LEVEL + ": must be one of " + String.join(", ", LOG_LEVELS) + ", got "
          + env.get(SidecarEnv.LOG_LEVEL));
    }
    int grpcPort = (int) number(SidecarEnv.PORT, SidecarEnv.DEFAULT_PORT, 0, 65_535, "a TCP port");
    int httpPort = (int) number(SidecarEnv.HTTP_PORT, SidecarEnv.DEFAULT_HTTP_PORT, 0, 65_535, "a TCP port");
    if (grpcPort == httpPort && grpcPort != 0) {
      problems.add(SidecarEnv.HTTP_PORT + ": must differ from " + SidecarEnv.PORT + " (both are " + grpcPort + ")");
    }
    long timeoutMs = number(SidecarEnv.UPSTREAM_TIMEOUT_MS, SidecarEnv.DEFAULT_UPSTREAM_TIMEOUT_MS, 1, 600_000,
        "milliseconds");
    long stalenessSecs = number(SidecarEnv.CACHE_MAX_STALENESS_SECS, SidecarEnv.DEFAULT_CACHE_MAX_STALENESS_SECS, 1,
        86_400, "seconds");
    long graceSecs = number(SidecarEnv.SHUTDOWN_GRACE_SECS, SidecarEnv.DEFAULT_SHUTDOWN_GRACE_SECS, 0, 600, "seconds");
    Optional<RedisSettings> redis = text(SidecarEnv.REDIS_ENVIRONMENT_PREFIX).map(prefix -> new RedisSettings(prefix,
        text(SidecarEnv.REDIS_HOST).orElse(SidecarEnv.DEFAULT_REDIS_HOST),
        (int) number(SidecarEnv.REDIS_PORT, SidecarEnv.DEFAULT_REDIS_PORT, 1, 65_535, "a TCP port"),
        (int) number(SidecarEnv.REDIS_DB, 0, 0, 1_000, "a Redis database number"),
        text(SidecarEnv.REDIS_USERNAME), text(SidecarEnv.REDIS_PASSWORD), bool(SidecarEnv.REDIS_TLS, false),
        Duration.ofSeconds(number(SidecarEnv.REDIS_KEYS_TTL_IN_SECS, SidecarEnv.DEFAULT_REDIS_KEYS_TTL_IN_SECS, 1,
            Integer.MAX_VALUE, "seconds")), bool(SidecarEnv.REDIS_NEAR_CACHE, true)));
    boolean edgeEnabled = bool(SidecarEnv.EDGE_ENABLED, true);
    boolean websocketEnabled = bool(SidecarEnv.WS_ENABLED, true);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SidecarConfig(offline ? key.map(ApiKey::new).orElse(ApiKey.NONE) : new ApiKey(key.get()),
        withPath(apiUrl, "/graphql"), edgeEnabled, edgeUrl, websocketEnabled, withPath(websocketUrl, "/graphql"),
        fallbacks, cacheBytes, offline, text(SidecarEnv.GRPC_BIND_ADDRESS).orElse(SidecarEnv.DEFAULT_GRPC_BIND_ADDRESS),
        grpcPort, text(SidecarEnv.HTTP_BIND_ADDRESS).orElse(SidecarEnv.DEFAULT_HTTP_BIND_ADDRESS), httpPort, logLevel,
        Duration.ofMillis(timeoutMs), Duration.ofSeconds(stalenessSecs), Duration.ofSeconds(graceSecs), redis);
  }

  /**
   * Stigg's rule: Edge lives at {@code edge.<API host>}, or on port 3060 of a local API host.
   */
  private static URI derivedEdgeUrl(URI apiUrl) {
    String host = apiUrl.getHost() == null ? "localhost" : apiUrl.getHost();
    boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1") || host.equals("[::1]");
    return URI.create(local ? apiUrl.getScheme() + "://" + host + ":3060" : apiUrl.getScheme() + "://edge." + host);
  }

  /** {@code base} with {@code suffix} appended unless its path already ends with it. */
  private static URI withPath(URI base, String suffix) {
    String text = base.toString().replaceAll("/+$", "");
    return URI.create(text.endsWith(suffix) ? text : text + suffix);
  }

  private Optional<String> text(String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(value -> !value.isEmpty());
  }

  private boolean bool(String name, boolean fallback) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default -> {
        problems.add(name + ": must be true or false (or 1/0), got " + value.get());
        yield fallback;
      }
    };
  }

  private long number(String name, long fallback, long min, long max, String unit) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    problems.add(name + ": must be a whole number from " + min + " to " + max + " (" + unit + "), got " + value.get());
    return fallback;
  }

  private URI url(String name, String value, List<String> schemes) {
    try {
      URI uri = new URI(value.strip());
      if (uri.getScheme() != null && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with an example
    }
    problems.add(name + ": must be an absolute " + String.join(" or ", schemes) + " URL such as "
        + schemes.get(schemes.size() - 1) + "://api.example.com, got " + value);
    return URI.create(schemes.get(0) + "://invalid");
  }
}
