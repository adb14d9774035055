package dev.stiggsidecar.stigg.entitlement;

/** Stigg's feature types, by their GraphQL names. */
public enum FeatureType {
  BOOLEAN, NUMBER, ENUM;

  public static java.util.Optional<FeatureType> fromGraphql(String name) {
    for (FeatureType type : values()) {
      if (type.name().equals(name)) {
        return java.util.Optional.of(type);
      }
    }
    return java.util.Optional.empty();
  }
}
