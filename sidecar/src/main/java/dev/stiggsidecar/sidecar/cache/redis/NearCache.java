package dev.stiggsidecar.sidecar.cache.redis;

import dev.stiggsidecar.redis.TrackedReads;
import dev.stiggsidecar.sidecar.cache.EntitlementCache;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process copies of what was read from Redis, so that a Redis-mode hit costs what an in-memory
 * hit costs. Kept coherent by Redis's server-assisted client-side caching: the connection that
 * reads has {@code CLIENT TRACKING} on, so Redis pushes an invalidation for every key it read once
 * anyone changes it.
 *
 * <p>Coherence rule: every invalidation advances an epoch, and an entry read before the latest
 * invalidation is not stored (it may be older than the change that was just announced). While
 * tracking is not confirmed on the current connection (at start, after a reconnect) nothing is
 * stored, and a lost connection empties the near cache: invalidations may have been missed.
 */
final class NearCache implements TrackedReads {

  private final EntitlementCache cache;
  private final Map<String, Set<EntityKey>> readers = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private volatile boolean tracking;

  NearCache(EntitlementCache cache) {
    this.cache = cache;
  }

  Optional<CustomerEntitlements> get(EntityKey key) {
    return tracking ? cache.get(key) : Optional.empty();
  }

  /** The epoch to pass to {@link #put}; take it before reading Redis. */
  long epoch() {
    return epoch.get();
  }

  /** Stores an entry read from {@code redisKeys}, unless anything was invalidated since {@code readEpoch}. */
  void put(EntityKey key, CustomerEntitlements entry, List<String> redisKeys, long readEpoch) {
    if (!tracking || epoch.get() != readEpoch) {
      return;
    }
    redisKeys.forEach(redisKey -> readers.computeIfAbsent(redisKey, ignored -> ConcurrentHashMap.newKeySet()).add(key));
    cache.put(key, entry);
    if (epoch.get() != readEpoch) {
      cache.updateIfPresent(key, ignored -> null);
    }
  }

  /** Redis says {@code redisKey} changed. */
  @Override
  public void invalidate(String redisKey) {
    epoch.incrementAndGet();
    Set<EntityKey> keys = readers.remove(redisKey);
    if (keys != null) {
      keys.forEach(key -> cache.updateIfPresent(key, ignored -> null));
    }
  }

  /** Tracking is (again) confirmed on a fresh connection. */
  @Override
  public void trackingOn() {
    clear();
    tracking = true;
  }

  /** The connection is lost: invalidations may be missed until tracking is confirmed again. */
  @Override
  public void trackingLost() {
    tracking = false;
    clear();
  }

  /** Redis announced that everything changed (a flush). */
  @Override
  public void clear() {
    epoch.incrementAndGet();
    readers.clear();
    cache.invalidateAll();
  }

  long size() {
    return cache.size();
  }
}
