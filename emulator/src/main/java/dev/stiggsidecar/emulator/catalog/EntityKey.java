package dev.stiggsidecar.emulator.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * Identifies one entitlement set: a customer, or one resource of a customer. Stigg keeps a
 * customer's global entitlements and each resource's entitlements apart.
 *
 * @param customerId the customer's id, never blank
 * @param resourceId the resource's id, or empty for the customer-wide set
 */
public record EntityKey(String customerId, Optional<String> resourceId) {

  public EntityKey {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(resourceId, "resourceId");
    if (customerId.isBlank()) {
      throw new IllegalArgumentException("customerId must not be blank");
    }
    resourceId = resourceId.filter(id -> !id.isBlank());
  }

  public static EntityKey of(String customerId, String resourceIdOrNull) {
    return new EntityKey(customerId, Optional.ofNullable(resourceIdOrNull));
  }

  /** The customer-wide key of the same customer. */
  public EntityKey global() {
    return new EntityKey(customerId, Optional.empty());
  }

  @Override
  public String toString() {
    return resourceId.map(resource -> customerId + ":" + resource).orElse(customerId);
  }
}
