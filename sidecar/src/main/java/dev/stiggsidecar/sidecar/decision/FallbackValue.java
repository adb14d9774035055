package dev.stiggsidecar.sidecar.decision;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A declared fallback for a feature, from a request's options or from {@code ENTITLEMENTS_FALLBACK}.
 * Absent fields take the type's default when served.
 */
public record FallbackValue(boolean hasAccess, OptionalInt value, Optional<Boolean> isUnlimited,
    OptionalDouble usageLimit, List<String> enumValues) {

  public FallbackValue {
    enumValues = List.copyOf(enumValues);
  }

  public static FallbackValue access(boolean hasAccess) {
    return new FallbackValue(hasAccess, OptionalInt.empty(), Optional.empty(), OptionalDouble.empty(), List.of());
  }

  /** The kind a declared fallback is listed as when no check says: by the fields it sets. */
  CheckKind listedKind() {
    if (usageLimit.isPresent()) {
      return CheckKind.METERED;
    }
    if (value.isPresent()) {
      return CheckKind.NUMERIC;
    }
    return enumValues.isEmpty() ? CheckKind.BOOLEAN : CheckKind.ENUM;
  }

  /** No declared fallback at all: every field takes its type default (no access). */
  static final FallbackValue NONE = access(false);
}
