package dev.stiggsidecar.contract;

/**
 * The environment variables the sidecar reads. Names shared with Stigg's sidecar keep Stigg's
 * spelling and defaults, so either image runs from the same configuration.
 */
public final class SidecarEnv {

  // Stigg's names.
  public static final String SERVER_API_KEY = "SERVER_API_KEY";
  public static final String API_URL = "API_URL";
  public static final String EDGE_ENABLED = "EDGE_ENABLED";
  public static final String EDGE_API_URL = "EDGE_API_URL";
  public static final String WS_ENABLED = "WS_ENABLED";
  public static final String WS_URL = "WS_URL";
  public static final String ENTITLEMENTS_FALLBACK = "ENTITLEMENTS_FALLBACK";
  public static final String CACHE_MAX_SIZE_BYTES = "CACHE_MAX_SIZE_BYTES";
  public static final String OFFLINE = "OFFLINE";
  public static final String PORT = "PORT";
  public static final String LOG_LEVEL = "LOG_LEVEL";
  public static final String REDIS_ENVIRONMENT_PREFIX = "REDIS_ENVIRONMENT_PREFIX";
  public static final String REDIS_HOST = "REDIS_HOST";
  public static final String REDIS_PORT = "REDIS_PORT";
  public static final String REDIS_DB = "REDIS_DB";
  public static final String REDIS_USERNAME = "REDIS_USERNAME";
  public static final String REDIS_PASSWORD = "REDIS_PASSWORD";
  public static final String REDIS_TLS = "REDIS_TLS";
  public static final String REDIS_KEYS_TTL_IN_SECS = "REDIS_KEYS_TTL_IN_SECS";
  public static final String REDIS_NEAR_CACHE = "REDIS_NEAR_CACHE";

  // This sidecar's own settings.
  public static final String HTTP_PORT = "HTTP_PORT";
  public static final String GRPC_BIND_ADDRESS = "GRPC_BIND_ADDRESS";
  public static final String HTTP_BIND_ADDRESS = "HTTP_BIND_ADDRESS";
  public static final String UPSTREAM_TIMEOUT_MS = "UPSTREAM_TIMEOUT_MS";
  public static final String CACHE_MAX_STALENESS_SECS = "CACHE_MAX_STALENESS_SECS";
  public static final String SHUTDOWN_GRACE_SECS = "SHUTDOWN_GRACE_SECS";
  public static final String REDIS_STARTUP_WAIT_MS = "REDIS_STARTUP_WAIT_MS";
  public static final String CACHE_REVALIDATION_RATE = "CACHE_REVALIDATION_RATE";

  public static final String DEFAULT_API_URL = "https://api.stigg.io";
  public static final int DEFAULT_PORT = 80;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final String DEFAULT_GRPC_BIND_ADDRESS = "127.0.0.1";
  public static final String DEFAULT_HTTP_BIND_ADDRESS = "0.0.0.0";
  public static final int DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_CACHE_MAX_STALENESS_SECS = 60;
  public static final int DEFAULT_CACHE_REVALIDATION_RATE = 50;
  public static final int DEFAULT_SHUTDOWN_GRACE_SECS = 10;
  public static final String DEFAULT_LOG_LEVEL = "info";
  public static final String DEFAULT_REDIS_HOST = "localhost";
  public static final int DEFAULT_REDIS_PORT = 6379;
  public static final int DEFAULT_REDIS_KEYS_TTL_IN_SECS = 604_800;
  public static final int DEFAULT_REDIS_STARTUP_WAIT_MS = 5_000;

  private SidecarEnv() {}
}
