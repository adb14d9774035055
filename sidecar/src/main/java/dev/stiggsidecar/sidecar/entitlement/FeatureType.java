package dev.stiggsidecar.sidecar.entitlement;

/** Stigg's feature types, by their GraphQL names. */
public enum FeatureType {
  BOOLEAN, NUMBER, ENUM
}
