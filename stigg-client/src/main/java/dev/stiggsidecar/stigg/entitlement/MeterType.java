package dev.stiggsidecar.stigg.entitlement;

import java.util.Optional;

/** How a numeric feature is measured; GraphQL spells these {@code None}, {@code Fluctuating}, {@code Incremental}. */
public enum MeterType {
  NONE("None"), FLUCTUATING("Fluctuating"), INCREMENTAL("Incremental");

  private final String graphqlName;

  MeterType(String graphqlName) {
    this.graphqlName = graphqlName;
  }

  public String graphqlName() {
    return graphqlName;
  }

  public static Optional<MeterType> fromGraphql(String name) {
    for (MeterType type : values()) {
      if (type.graphqlName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
