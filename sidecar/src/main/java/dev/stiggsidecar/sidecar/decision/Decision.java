package dev.stiggsidecar.sidecar.decision;

import dev.stiggsidecar.stigg.entitlement.DenialReason;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import java.util.Optional;

/**
 * The answer to a check. Exactly one of three shapes:
 * <ul>
 *   <li>evaluated: {@link #entitlement()} is present (with usage rolled over to now);
 *   <li>not entitled: neither is present (unknown customer or feature; {@code isFallback} false);
 *   <li>fallback: {@link #fallback()} is present and {@code isFallback} is true.
 * </ul>
 *
 * @param kind how to answer: for generic checks, the kind of the feature or of the fallback
 */
public record Decision(CheckKind kind, boolean hasAccess, boolean isFallback, Optional<DenialReason> reason,
    Optional<Entitlement> entitlement, Optional<FallbackValue> fallback) {

  static Decision evaluated(CheckKind kind, Entitlement entitlement, boolean hasAccess, DenialReason reason) {
    return new Decision(kind, hasAccess, false, Optional.ofNullable(reason), Optional.of(entitlement), Optional.empty());
  }

  static Decision notEntitled(CheckKind kind, DenialReason reason) {
    return new Decision(kind, false, false, Optional.of(reason), Optional.empty(), Optional.empty());
  }

  static Decision fallback(CheckKind kind, FallbackValue value, DenialReason reason) {
    return new Decision(kind, value.hasAccess(), true, Optional.of(reason), Optional.empty(), Optional.of(value));
  }
}
