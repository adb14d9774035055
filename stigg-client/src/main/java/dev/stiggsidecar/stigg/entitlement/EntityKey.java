package dev.stiggsidecar.stigg.entitlement;

import java.util.Objects;
import java.util.Optional;

/**
 * What a cache entry belongs to: a customer, or one resource of a customer. Immutable, with its hash
 * computed once, because one is built for every check.
 */
public final class EntityKey {

  private final String customerId;
  private final String resourceId;
  private final int hash;

  private EntityKey(String customerId, String resourceId) {
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.resourceId = resourceId;
    this.hash = 31 * customerId.hashCode() + (resourceId == null ? 0 : resourceId.hashCode());
  }

  public static EntityKey customer(String customerId) {
    return new EntityKey(customerId, null);
  }

  /** A key for {@code customerId}, scoped to {@code resourceId} unless it is null or empty. */
  public static EntityKey of(String customerId, String resourceIdOrEmpty) {
    return new EntityKey(customerId,
        resourceIdOrEmpty == null || resourceIdOrEmpty.isEmpty() ? null : resourceIdOrEmpty);
  }

  public String customerId() {
    return customerId;
  }

  public Optional<String> resourceId() {
    return Optional.ofNullable(resourceId);
  }

  public boolean isResourceScoped() {
    return resourceId != null;
  }

  /** The customer-wide key of the same customer. */
  public EntityKey global() {
    return resourceId == null ? this : new EntityKey(customerId, null);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EntityKey key && hash == key.hash && customerId.equals(key.customerId)
        && Objects.equals(resourceId, key.resourceId);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code customer} or {@code customer:resource}, as in logs and emulator statistics. */
  @Override
  public String toString() {
    return resourceId == null ? customerId : customerId + ":" + resourceId;
  }
}
