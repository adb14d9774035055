package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.StandaloneRenderer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The standalone sidecar PodDisruptionBudget; reconciled only while {@link StandaloneCondition} holds. */
public final class StandaloneDisruptionBudgetDependent extends NamedDependent<PodDisruptionBudget> {

  public StandaloneDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class, StiggSidecarResources::standaloneName);
  }

  @Override
  protected PodDisruptionBudget desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return StandaloneRenderer.disruptionBudget(Specs.of(context));
  }
}
