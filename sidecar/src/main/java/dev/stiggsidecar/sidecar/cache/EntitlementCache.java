package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where cached entitlements live. Implementations are named by mechanism and must be thread-safe;
 * reads must not block or allocate beyond the lookup, because every check reads here.
 */
public interface EntitlementCache {

  Optional<CustomerEntitlements> get(EntityKey key);

  void put(EntityKey key, CustomerEntitlements entry);

  /** Applies {@code change} to the entry of {@code key} if it is cached; does nothing otherwise. */
  void updateIfPresent(EntityKey key, UnaryOperator<CustomerEntitlements> change);

  void invalidateAll();

  /** A snapshot of the cached keys (for background work; never on the path of a check). */
  Set<EntityKey> keys();

  /** Number of cached entries. */
  long size();

  /** Estimated heap bytes of the cached entries, bounded by {@code CACHE_MAX_SIZE_BYTES}. */
  long weightedSize();

  /** Entries evicted so far to stay within the bound (not those invalidated or replaced). */
  long evictions();
}
