package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.StandaloneRenderer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The standalone sidecar Deployment; reconciled only while {@link StandaloneCondition} holds. */
public final class StandaloneDeploymentDependent extends NamedDependent<Deployment> {

  public StandaloneDeploymentDependent() {
    super(Deployment.class, StiggSidecarResources::standaloneName);
  }

  @Override
  protected Deployment desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return StandaloneRenderer.deployment(Specs.of(context), Specs.of(context).standalone().orElseThrow(),
        Specs.redisAuthVersion(context));
  }
}
