package dev.stiggsidecar.sidecar.decision;

import dev.stiggsidecar.stigg.entitlement.Feature;
import dev.stiggsidecar.stigg.entitlement.FeatureType;

/** What a check asks about: one of the four typed checks, or a generic check of any type. */
public enum CheckKind {
  BOOLEAN, NUMERIC, METERED, ENUM, ANY;

  /** The kind a feature is answered as: metered or numeric for numbers, by meter type. */
  public static CheckKind of(Feature feature) {
    if (feature.type() == FeatureType.BOOLEAN) {
      return BOOLEAN;
    }
    if (feature.type() == FeatureType.ENUM) {
      return ENUM;
    }
    return feature.isMetered() ? METERED : NUMERIC;
  }

  /** Whether a typed check of this kind may be answered from an entitlement to {@code feature}. */
  boolean accepts(Feature feature) {
    return switch (this) {
      case BOOLEAN -> feature.type() == FeatureType.BOOLEAN;
      case ENUM -> feature.type() == FeatureType.ENUM;
      case METERED -> feature.isMetered();
      case NUMERIC -> feature.isNumeric();
      case ANY -> true;
    };
  }
}
