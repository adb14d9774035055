package dev.stiggsidecar.sidecar.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * The in-memory cache: Caffeine, bounded by an estimate of the heap each entry holds, so that
 * {@code CACHE_MAX_SIZE_BYTES} means bytes and not a count. Eviction is Caffeine's W-TinyLFU, which
 * keeps the customers that are checked often. Entries never expire by time here: freshness is the
 * store's decision, which knows whether real-time updates are flowing.
 */
public final class CaffeineEntitlementCache implements EntitlementCache {

  /** Bytes per entry beyond its entitlements: Caffeine's node, the key and its strings. */
  private static final int ENTRY_OVERHEAD_BYTES = 120;

  private final Cache<EntityKey, CustomerEntitlements> cache;
  /** Entries dropped to stay within the bound; a steady rise means the bound is below the working set. */
  private final LongAdder evictions = new LongAdder();

  public CaffeineEntitlementCache(long maxSizeBytes) {
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxSizeBytes)
        .evictionListener((EntityKey key, CustomerEntitlements entry, RemovalCause cause) -> evictions.increment())
        .weigher((EntityKey key, CustomerEntitlements entry) -> ENTRY_OVERHEAD_BYTES + entry.estimatedBytes()
            + 2 * (key.customerId().length() + key.resourceId().map(String::length).orElse(0)))
        .build();
  }

  @Override
  public Optional<CustomerEntitlements> get(EntityKey key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  @Override
  public void put(EntityKey key, CustomerEntitlements entry) {
    cache.put(key, entry);
  }

  @Override
  public void updateIfPresent(EntityKey key, UnaryOperator<CustomerEntitlements> change) {
    cache.asMap().computeIfPresent(key, (ignored, entry) -> change.apply(entry));
  }

  @Override
  public void invalidateAll() {
    cache.invalidateAll();
  }

  @Override
  public Set<EntityKey> keys() {
    return Set.copyOf(cache.asMap().keySet());
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public long evictions() {
    return evictions.sum();
  }

  @Override
  public long weightedSize() {
    return cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
  }
}
