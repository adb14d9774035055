package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import java.util.Optional;

/**
 * The result of loading entitlements: the entry to decide from, or why there is none (and a
 * fallback must answer).
 *
 * @param unavailableCause a short metric label: {@code upstream_error}, {@code invalid_api_key},
 *     {@code offline}
 */
public record Lookup(Optional<CustomerEntitlements> entry, String unavailableCause) {

  public static Lookup of(CustomerEntitlements entry) {
    return new Lookup(Optional.of(entry), "");
  }

  public static Lookup unavailable(String cause) {
    return new Lookup(Optional.empty(), cause);
  }
}
