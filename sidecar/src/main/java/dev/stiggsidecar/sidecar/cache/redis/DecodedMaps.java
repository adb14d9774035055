package dev.stiggsidecar.sidecar.cache.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stiggsidecar.redis.RedisCodec;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import java.util.List;
import java.util.Optional;

/**
 * The last decoding of each entitlement map this sidecar read from Redis, with the exact values it
 * came from. Two things follow from keeping it:
 * <ul>
 *   <li>a check that finds Redis unchanged costs a string comparison, not a JSON parse (parsing a
 *       customer's map and usage took about 200 µs of CPU, ten times the rest of a check);
 *   <li>the usage keys of the map's metered features are known before the map is read, so they
 *       go in the same {@code MGET}: one round trip per check, a second only when the map's
 *       metered features changed.
 * </ul>
 * Bounded by weight (the values' characters and the decoded entry's estimate), least recently
 * used first out; losing an entry costs one parse and one extra round trip.
 */
final class DecodedMaps {

  /**
   * What was read and decoded for one map key.
   *
   * @param usageValues the values of {@code decoded.meteredFeatures()}' usage keys, in that order
   */
  record Last(String mapValue, RedisCodec.DecodedMap decoded, List<String> usageValues, CustomerEntitlements entry) {

    int weight() {
      long chars = mapValue.length();
      for (String value : usageValues) {
        chars += value.length();
      }
      return (int) Math.min(Integer.MAX_VALUE, 2 * chars + 2L * entry.estimatedBytes() + 128);
    }
  }

  private final Cache<String, Last> byMapKey;

  DecodedMaps(long maxBytes) {
    this.byMapKey = Caffeine.newBuilder().maximumWeight(maxBytes)
        .weigher((String key, Last last) -> last.weight()).build();
  }

  Optional<Last> last(String mapKey) {
    return Optional.ofNullable(byMapKey.getIfPresent(mapKey));
  }

  void remember(String mapKey, Last last) {
    byMapKey.put(mapKey, last);
  }
}
