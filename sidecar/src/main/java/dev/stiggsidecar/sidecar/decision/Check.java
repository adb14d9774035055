package dev.stiggsidecar.sidecar.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One entitlement check.
 *
 * @param requestedUsage the usage a metered check asks to add; absent counts as 0
 * @param requestedValues the values an enum check asks for; all must be entitled
 * @param fallback the caller's own fallback, which wins over {@code ENTITLEMENTS_FALLBACK}
 */
public record Check(CheckKind kind, String featureId, OptionalDouble requestedUsage, List<String> requestedValues,
    Optional<FallbackValue> fallback) {

  public Check {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(featureId, "featureId");
    Objects.requireNonNull(requestedUsage, "requestedUsage");
    requestedValues = List.copyOf(requestedValues);
    Objects.requireNonNull(fallback, "fallback");
  }

  public static Check of(CheckKind kind, String featureId) {
    return new Check(kind, featureId, OptionalDouble.empty(), List.of(), Optional.empty());
  }

  /**
   * The kind a fallback is shaped as when nothing else says: a generic check that asks for usage is
   * metered, one that asks for values is an enum, one whose fallback has a value is numeric, else
   * boolean (the order Stigg's engine uses).
   */
  CheckKind fallbackKind() {
    if (kind != CheckKind.ANY) {
      return kind;
    }
    if (requestedUsage.isPresent()) {
      return CheckKind.METERED;
    }
    if (!requestedValues.isEmpty()) {
      return CheckKind.ENUM;
    }
    if (fallback.filter(value -> value.value().isPresent()).isPresent()) {
      return CheckKind.NUMERIC;
    }
    return CheckKind.BOOLEAN;
  }
}
