package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Entitlements as checks see them: the cache in front, Stigg behind. Reads never fail; when nothing
 * can be had, the result says so and the caller answers with a fallback.
 */
public interface EntitlementStore {

  /**
   * The hot path: the entry of {@code key} if it can answer now, without I/O. May start a
   * background refresh of an entry that has outlived its staleness bound.
   */
  Optional<CustomerEntitlements> cached(EntityKey key);

  /** Fetches the entry of {@code key} (concurrent calls for one key share one fetch). */
  CompletableFuture<Lookup> load(EntityKey key);

  /** Refetches {@code key} over GraphQL, replacing the cached entry ({@code ReloadEntitlements}). */
  CompletableFuture<Lookup> reload(EntityKey key);

  /** Replaces the entry of {@code key} (a real-time push), cancelling the effect of fetches in flight. */
  void replace(EntityKey key, CustomerEntitlements entry);

  /** Sets a cached feature's usage to what Stigg computed; ignored when the feature is not cached. */
  void updateUsage(EntityKey key, String featureId, double currentUsage, long periodStart, long periodEnd);

  /** Records a credit balance on a cached entry; ignored when the entry is not cached. */
  void applyCreditBalance(EntityKey key, CreditBalance balance);

  /** Forgets everything (reconnects, packages published to all customers). */
  void clear();

  /** Tells the store whether real-time updates are flowing, which keeps cached entries fresh. */
  void realtimeConnected(boolean connected);
}
