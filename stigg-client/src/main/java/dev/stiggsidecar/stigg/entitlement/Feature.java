package dev.stiggsidecar.stigg.entitlement;

import java.util.Objects;
import java.util.Optional;

/**
 * A feature as entitlements refer to it. Instances are shared: every customer's entitlement to the
 * same feature points at one {@code Feature} ({@link FeatureCatalog}), which keeps cached entries
 * small.
 *
 * @param meterType absent for boolean and enum features, and for numbers Stigg sends without one
 */
public record Feature(String id, FeatureType type, Optional<MeterType> meterType, String units, String unitsPlural) {

  public Feature {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(meterType, "meterType");
    units = units == null ? "" : units;
    unitsPlural = unitsPlural == null ? "" : unitsPlural;
  }

  /** Metered: a number measured incrementally or as a fluctuating amount. */
  public boolean isMetered() {
    return type == FeatureType.NUMBER
        && meterType.filter(meter -> meter == MeterType.INCREMENTAL || meter == MeterType.FLUCTUATING).isPresent();
  }

  /** Numeric (a configured number, not a meter): a number with meter type {@code None} or none at all. */
  public boolean isNumeric() {
    return type == FeatureType.NUMBER && meterType.filter(meter -> meter != MeterType.NONE).isEmpty();
  }
}
