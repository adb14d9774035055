package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.RedisRenderer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The managed Redis Deployment; reconciled only while {@link ManagedRedisCondition} holds. */
public final class RedisDeploymentDependent extends NamedDependent<Deployment> {

  public RedisDeploymentDependent() {
    super(Deployment.class, StiggSidecarResources::redisName);
  }

  @Override
  protected Deployment desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return RedisRenderer.deployment(Specs.of(context), Specs.of(context).managedRedis().orElseThrow(),
        Specs.redisAuthVersion(context));
  }
}
