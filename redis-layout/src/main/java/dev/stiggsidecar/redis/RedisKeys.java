package dev.stiggsidecar.redis;

import dev.stiggsidecar.stigg.entitlement.EntityKey;

/**
 * Stigg's Redis key layout, shared with Stigg's Persistent Cache Service and SDKs in Redis mode.
 * {@code P} is {@code REDIS_ENVIRONMENT_PREFIX}:
 * <ul>
 *   <li>{@code P:c_<customer>[:r_<resource>]}: the entitlement map;
 *   <li>{@code ...:f_<feature>}: a metered feature's usage;
 *   <li>{@code <key>#timestamp}: the message time of the last write of {@code <key>};
 *   <li>{@code P:refetchEntityEntitlementsAfterCacheMiss-<customer>[:<resource>]}: the lock of a
 *       refetch after a miss, and {@code P:refetchEntityEntitlementsAfterCacheMiss:<customer>...}
 *       (a colon, not a dash) its completion channel;
 *   <li>{@code P-<customer>[:<resource>]}: the lock held while writing after a fetch.
 * </ul>
 */
public record RedisKeys(String prefix) {

  public String entitlements(EntityKey key) {
    return prefix + ":c_" + key.customerId() + key.resourceId().map(resource -> ":r_" + resource).orElse("");
  }

  public String usage(EntityKey key, String featureId) {
    return entitlements(key) + ":f_" + featureId;
  }

  public static String timestamp(String key) {
    return key + "#timestamp";
  }

  public String refetchLock(EntityKey key) {
    return prefix + ":refetchEntityEntitlementsAfterCacheMiss-" + entity(key);
  }

  public String refetchChannel(EntityKey key) {
    return prefix + ":refetchEntityEntitlementsAfterCacheMiss:" + entity(key);
  }

  public String writeLock(EntityKey key) {
    return prefix + "-" + entity(key);
  }

  private static String entity(EntityKey key) {
    return key.customerId() + key.resourceId().map(resource -> ":" + resource).orElse("");
  }
}
