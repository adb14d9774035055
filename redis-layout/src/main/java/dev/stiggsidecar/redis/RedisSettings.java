package dev.stiggsidecar.redis;

import dev.stiggsidecar.contract.EnvReader;
import dev.stiggsidecar.contract.SidecarEnv;
import java.time.Duration;
import java.util.Optional;

/**
 * Redis cache mode ({@code REDIS_*}), Stigg's names and defaults.
 *
 * @param environmentPrefix {@code REDIS_ENVIRONMENT_PREFIX}: the key prefix; must equal the one
 *     of every other writer (persistent cache service, other sidecars)
 * @param keysTtl {@code REDIS_KEYS_TTL_IN_SECS}, set on every key written
 * @param nearCache {@code REDIS_NEAR_CACHE}: keep coherent in-process copies (Redis 6+ tracking)
 * @param startupWait {@code REDIS_STARTUP_WAIT_MS}: how long a sidecar waits at start for Redis to
 *     be readable before it serves anyway (a check answered before Redis is readable could only
 *     come from Stigg's API or, with Stigg down, from fallbacks)
 */
public record RedisSettings(String environmentPrefix, String host, int port, int database,
    Optional<String> username, Optional<String> password, boolean tls, Duration keysTtl, boolean nearCache,
    Duration startupWait) {

  /** Redis mode when {@code REDIS_ENVIRONMENT_PREFIX} is set; empty otherwise. */
  public static Optional<RedisSettings> read(EnvReader env) {
    return env.text(SidecarEnv.REDIS_ENVIRONMENT_PREFIX).map(prefix -> new RedisSettings(prefix,
        env.text(SidecarEnv.REDIS_HOST).orElse(SidecarEnv.DEFAULT_REDIS_HOST),
        (int) env.number(SidecarEnv.REDIS_PORT, SidecarEnv.DEFAULT_REDIS_PORT, 1, 65_535, "a TCP port"),
        (int) env.number(SidecarEnv.REDIS_DB, 0, 0, 1_000, "a Redis database number"),
        env.text(SidecarEnv.REDIS_USERNAME), env.text(SidecarEnv.REDIS_PASSWORD), env.bool(SidecarEnv.REDIS_TLS, false),
        Duration.ofSeconds(env.number(SidecarEnv.REDIS_KEYS_TTL_IN_SECS, SidecarEnv.DEFAULT_REDIS_KEYS_TTL_IN_SECS, 1,
            Integer.MAX_VALUE, "seconds")), env.bool(SidecarEnv.REDIS_NEAR_CACHE, true),
        Duration.ofMillis(env.number(SidecarEnv.REDIS_STARTUP_WAIT_MS, SidecarEnv.DEFAULT_REDIS_STARTUP_WAIT_MS, 0,
            600_000, "milliseconds"))));
  }

  @Override
  public String toString() {
    return "RedisSettings[prefix=" + environmentPrefix + ", " + host + ":" + port + ", db=" + database
        + ", tls=" + tls + ", ttl=" + keysTtl.toSeconds() + "s, nearCache=" + nearCache + ", startupWait="
        + startupWait.toMillis() + "ms, password=" + (password.isPresent() ? "set" : "none") + "]";
  }
}
