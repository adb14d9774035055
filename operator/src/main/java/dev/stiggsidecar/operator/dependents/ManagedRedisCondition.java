package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The operator runs Redis only for {@code cache.redis.managed}; when it turns false, Redis is deleted. */
public final class ManagedRedisCondition implements Condition<HasMetadata, StiggSidecar> {

  @Override
  public boolean isMet(DependentResource<HasMetadata, StiggSidecar> dependent, StiggSidecar primary,
      Context<StiggSidecar> context) {
    return Specs.of(context).managedRedis().isPresent();
  }
}
