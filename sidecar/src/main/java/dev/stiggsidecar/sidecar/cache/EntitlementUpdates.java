package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;

/**
 * What Stigg tells the store between fetches: real-time pushes, and the usage Stigg computed for a
 * report. The real-time feed and the usage reporter write through this and nothing else.
 */
public interface EntitlementUpdates {

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
