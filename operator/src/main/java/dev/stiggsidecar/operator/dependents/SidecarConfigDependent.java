package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.SidecarConfigRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The sidecar environment ConfigMap. */
public final class SidecarConfigDependent extends NamedDependent<ConfigMap> {

  public SidecarConfigDependent() {
    super(ConfigMap.class, StiggSidecarResources::configMapName);
  }

  @Override
  protected ConfigMap desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return SidecarConfigRenderer.render(Specs.of(context));
  }
}
