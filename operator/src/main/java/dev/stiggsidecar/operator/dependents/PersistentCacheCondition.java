package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The persistent cache is created only once a managed Redis is ready (an external Redis is taken
 * as given), and kept afterwards: a Redis restart must not delete and recreate it.
 */
public final class PersistentCacheCondition implements Condition<HasMetadata, StiggSidecar> {

  @Override
  public boolean isMet(DependentResource<HasMetadata, StiggSidecar> dependent, StiggSidecar primary,
      Context<StiggSidecar> context) {
    EffectiveSpec spec = Specs.of(context);
    if (spec.persistentCache().isEmpty()) {
      return false;
    }
    if (spec.managedRedis().isEmpty()) {
      return true;
    }
    boolean alreadyRunning = Workloads.deployment(context, StiggSidecarResources.persistentCacheName(spec.name())).isPresent();
    return alreadyRunning
        || Workloads.readyReplicas(Workloads.deployment(context, StiggSidecarResources.redisName(spec.name()))) > 0;
  }
}
