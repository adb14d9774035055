package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.PersistentCacheRenderer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The persistent cache Deployment; reconciled only while {@link PersistentCacheCondition} holds. */
public final class PersistentCacheDependent extends NamedDependent<Deployment> {

  public PersistentCacheDependent() {
    super(Deployment.class, StiggSidecarResources::persistentCacheName);
  }

  @Override
  protected Deployment desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return PersistentCacheRenderer.deployment(Specs.of(context), Specs.of(context).persistentCache().orElseThrow(),
        Specs.redisAuthVersion(context));
  }
}
