package dev.stiggsidecar.sidecar.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Redis cache mode ({@code REDIS_*}), Stigg's names and defaults.
 *
 * @param environmentPrefix {@code REDIS_ENVIRONMENT_PREFIX}: the key prefix; must equal the one
 *     of every other writer (persistent cache service, other sidecars)
 * @param keysTtl {@code REDIS_KEYS_TTL_IN_SECS}, set on every key written
 * @param nearCache {@code REDIS_NEAR_CACHE}: keep coherent in-process copies (Redis 6+ tracking)
 */
public record RedisSettings(String environmentPrefix, String host, int port, int database,
    Optional<String> username, Optional<String> password, boolean tls, Duration keysTtl, boolean nearCache) {

  @Override
  public String toString() {
    return "RedisSettings[prefix=" + environmentPrefix + ", " + host + ":" + port + ", db=" + database
        + ", tls=" + tls + ", ttl=" + keysTtl.toSeconds() + "s, nearCache=" + nearCache + ", password=" + (password.isPresent() ? "set" : "none")
        + "]";
  }
}
