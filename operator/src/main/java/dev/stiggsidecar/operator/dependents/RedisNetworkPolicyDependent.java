package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.RedisRenderer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Who may reach the managed Redis; reconciled only while {@link ManagedRedisCondition} holds. */
public final class RedisNetworkPolicyDependent extends NamedDependent<NetworkPolicy> {

  public RedisNetworkPolicyDependent() {
    super(NetworkPolicy.class, StiggSidecarResources::redisName);
  }

  @Override
  protected NetworkPolicy desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return RedisRenderer.networkPolicy(Specs.of(context));
  }
}
