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
 * tracking is not confirmed on the current connection (at start, after a reconnect) no copy is
 * answered, and a lost connection unconfirms every copy: invalidations may have been missed.
 *
 * <p>Copies are unconfirmed, never dropped (the cache's bound evicts them): while Redis cannot be
 * read they are what the sidecar answers from (see {@link RedisEntitlementStore}), and when both
 * Redis and Stigg fail they are a better answer than a fallback.
 */
final class NearCache implements TrackedReads {

  private final EntitlementCache cache;
  /** Keys whose copy is coherent with Redis: stored under the current tracking, not invalidated since. */
  private final Set<EntityKey> confirmed = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<EntityKey>> readers = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private volatile boolean tracking;

  NearCache(EntitlementCache cache) {
    this.cache = cache;
  }

  /** The copy of {@code key}, if it is coherent with Redis. */
  Optional<CustomerEntitlements> get(EntityKey key) {
    return tracking && confirmed.contains(key) ? cache.get(key) : Optional.empty();
  }

  /** The epoch to pass to {@link #put}; take it before reading Redis. */
  long epoch() {
    return epoch.get();
  }

  /** Stores an entry read from {@code redisKeys}, unless anything was invalidated since {@code readEpoch}. */
  void put(EntityKey key, CustomerEntitlements entry, List<String> redisKeys, long readEpoch) {
    cache.put(key, entry);
    if (!tracking || epoch.get() != readEpoch) {
      return;
    }
    redisKeys.forEach(redisKey -> readers.computeIfAbsent(redisKey, ignored -> ConcurrentHashMap.newKeySet()).add(key));
    confirmed.add(key);
    if (epoch.get() != readEpoch) {
      confirmed.remove(key);
    }
  }

  /**
   * Keeps an entry fetched from Stigg as a copy for when Redis or Stigg fail, never as coherent:
   * Redis may hold something newer (another writer won).
   */
  void remember(EntityKey key, CustomerEntitlements entry) {
    confirmed.remove(key);
    cache.put(key, entry);
    confirmed.remove(key);
  }

  /** Redis says {@code redisKey} changed. */
  @Override
  public void invalidate(String redisKey) {
    epoch.incrementAndGet();
    Set<EntityKey> keys = readers.remove(redisKey);
    if (keys != null) {
      keys.forEach(confirmed::remove);
    }
  }

  /** Tracking is (again) confirmed on a fresh connection: copies from before may have missed changes. */
  @Override
  public void trackingOn() {
    clear();
    tracking = true;
  }

  /** The connection is lost: no copy is answered as coherent until tracking is confirmed again. */
  @Override
  public void trackingLost() {
    tracking = false;
    clear();
  }

  /** Redis announced that everything changed (a flush): no copy is coherent any more. */
  @Override
  public void clear() {
    epoch.incrementAndGet();
    readers.clear();
    confirmed.clear();
  }

  long size() {
    return cache.size();
  }
}
