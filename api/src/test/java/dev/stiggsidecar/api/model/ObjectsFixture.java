package dev.stiggsidecar.api.model;

/** Builds effective specs for renderer tests from a spec alone. */
public final class ObjectsFixture {

  private ObjectsFixture() {}

  public static EffectiveSpec effective(StiggSidecarSpec spec) {
    return EffectiveSpec.of(EffectiveSpecTest.resource(spec), EffectiveSpecTest.DEFAULTS);
  }
}
