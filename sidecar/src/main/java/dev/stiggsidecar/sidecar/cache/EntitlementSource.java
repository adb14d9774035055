package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Entitlements as checks see them: the cache in front, Stigg behind. Reads never fail; when nothing
 * can be had, the result says so and the caller answers with a fallback. The gRPC service reads
 * through this and nothing else.
 */
public interface EntitlementSource {

  /**
   * The hot path: the entry of {@code key} if it can answer now, without I/O. May start a
   * background refresh of an entry that has outlived its staleness bound.
   */
  Optional<CustomerEntitlements> cached(EntityKey key);

  /** Fetches the entry of {@code key} (concurrent calls for one key share one fetch). */
  CompletableFuture<Lookup> load(EntityKey key);

  /** Refetches {@code key} over GraphQL, replacing the cached entry ({@code ReloadEntitlements}). */
  CompletableFuture<Lookup> reload(EntityKey key);
}
