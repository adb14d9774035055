package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.RedisRenderer;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The managed Redis Service; reconciled only while {@link ManagedRedisCondition} holds. */
public final class RedisServiceDependent extends NamedDependent<Service> {

  public RedisServiceDependent() {
    super(Service.class, StiggSidecarResources::redisName);
  }

  @Override
  protected Service desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return RedisRenderer.service(Specs.of(context));
  }
}
