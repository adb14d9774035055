package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.StandaloneRenderer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Who may call the standalone sidecars; reconciled only while {@link StandaloneCondition} holds. */
public final class StandaloneNetworkPolicyDependent extends NamedDependent<NetworkPolicy> {

  public StandaloneNetworkPolicyDependent() {
    super(NetworkPolicy.class, StiggSidecarResources::standaloneName);
  }

  @Override
  protected NetworkPolicy desired(StiggSidecar primary, Context<StiggSidecar> context) {
    return StandaloneRenderer.networkPolicy(Specs.of(context), Specs.of(context).standalone().orElseThrow());
  }
}
