package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stiggsidecar.emulator.catalog.Catalog;
import dev.stiggsidecar.emulator.catalog.CustomerFault;
import dev.stiggsidecar.emulator.catalog.EntityKey;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.util.Optional;

/**
 * The one place where Edge and GraphQL fetch entitlements: counts the fetch, applies the
 * customer's fault, and answers an unknown customer or resource with an empty list as Stigg does.
 */
final class EntitlementSource {

  /** Either the entitlements, or the fault that replaces them. */
  record Fetch(ArrayNode entitlements, Optional<CustomerFault> fault) {}

  private final Catalog catalog;
  private final EmulatorStats stats;

  EntitlementSource(Catalog catalog, EmulatorStats stats) {
    this.catalog = catalog;
    this.stats = stats;
  }

  Fetch fetch(EntityKey key) {
    stats.entitlementFetch(key.toString());
    Optional<CustomerFault> fault = catalog.faultOf(key).or(() -> catalog.faultOf(key.global()));
    if (fault.isPresent()) {
      return new Fetch(JsonNodeFactory.instance.arrayNode(), fault);
    }
    return new Fetch(catalog.entitlementsOf(key).orElseGet(JsonNodeFactory.instance::arrayNode), Optional.empty());
  }

  boolean exists(EntityKey key) {
    return catalog.entitlementsOf(key).isPresent();
  }

  /** The reply that a customer fault stands for. */
  static Reply faultReply(CustomerFault fault) {
    return switch (fault) {
      case GRAPHQL_ERRORS -> ApiErrors.reply(200, ApiErrors.INTERNAL, "Unexpected error value (injected customer fault)");
      case HTTP_500 -> ApiErrors.reply(500, ApiErrors.INTERNAL, "Internal server error (injected customer fault)");
      case TIMEOUT -> new Reply.Hold();
    };
  }
}
