package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Standalone objects exist only while {@code standalone.enabled}; when it turns false they are deleted. */
public final class StandaloneCondition implements Condition<HasMetadata, StiggSidecar> {

  @Override
  public boolean isMet(DependentResource<HasMetadata, StiggSidecar> dependent, StiggSidecar primary,
      Context<StiggSidecar> context) {
    return Specs.of(context).standalone().isPresent();
  }
}
