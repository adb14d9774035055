package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.StandaloneRenderer;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The standalone sidecar Service; reconciled only while {@link StandaloneCondition} holds. */
public final class StandaloneServiceDependent extends NamedDependent<Service> {

  public StandaloneServiceDependent() {
    super(Service.class, StiggSidecarResources::standaloneName);
  }

  @Override
  protected Service desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return StandaloneRenderer.service(Specs.of(context));
  }
}
