package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Offline mode ({@code OFFLINE=true}): no network at all, so nothing is ever cached or fetched and
 * every check is answered from fallbacks.
 */
public final class OfflineEntitlementStore implements EntitlementStore {

  private static final CompletableFuture<Lookup> OFFLINE = CompletableFuture.completedFuture(Lookup.unavailable("offline"));

  @Override
  public Optional<CustomerEntitlements> cached(EntityKey key) {
    return Optional.empty();
  }

  @Override
  public CompletableFuture<Lookup> load(EntityKey key) {
    return OFFLINE;
  }

  @Override
  public CompletableFuture<Lookup> reload(EntityKey key) {
    return OFFLINE;
  }

  @Override
  public void replace(EntityKey key, CustomerEntitlements entry) {
    // nothing is cached offline
  }

  @Override
  public void updateUsage(EntityKey key, String featureId, double currentUsage, long periodStart, long periodEnd) {
    // nothing is cached offline
  }

  @Override
  public void applyCreditBalance(EntityKey key, CreditBalance balance) {
    // nothing is cached offline
  }

  @Override
  public void clear() {
    // nothing is cached offline
  }

  @Override
  public void realtimeConnected(boolean connected) {
    // there is no real-time feed offline
  }
}
