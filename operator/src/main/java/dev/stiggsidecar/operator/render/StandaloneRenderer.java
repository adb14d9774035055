package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.pod.SidecarContainerRenderer;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.EffectiveSpec.Standalone;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Standalone mode: sidecars as a Deployment behind a ClusterIP Service, for applications that call
 * the sidecar over the network. gRPC binds to all interfaces here, unlike an injected sidecar, so a
 * NetworkPolicy admits to it only the namespace's own pods and the {@code allowedClients}: a check
 * answers who gets paid features, and {@code ReportUsage} spends a customer's quota.
 */
public final class StandaloneRenderer {

  private static final String COMPONENT = StiggSidecarResources.COMPONENT_STANDALONE;

  private StandaloneRenderer() {}

  /** @param redisAuthVersion see {@link dev.stiggsidecar.contract.InjectionKeys#REDIS_AUTH_VERSION} */
  public static Deployment deployment(EffectiveSpec spec, Standalone standalone, Optional<String> redisAuthVersion) {
    return ConfiguredDeployment.of(spec, StiggSidecarResources.standaloneName(spec.name()), COMPONENT,
        standalone.replicas(), SidecarContainerRenderer.render(spec, "0.0.0.0"), redisAuthVersion);
  }

  /**
   * gRPC from this namespace's pods and the allowed clients; health and metrics from anywhere (the
   * kubelet and Prometheus reach them, and they change nothing).
   */
  public static NetworkPolicy networkPolicy(EffectiveSpec spec, Standalone standalone) {
    List<NetworkPolicyPeer> callers = new ArrayList<>();
    callers.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    standalone.allowedClients().forEach(client -> callers.add(new NetworkPolicyPeerBuilder()
        .withPodSelector(client.podSelector()).withNamespaceSelector(client.namespaceSelector()).build()));
    return new NetworkPolicyBuilder()
        .withMetadata(OwnedMetadata.of(spec, StiggSidecarResources.standaloneName(spec.name()), COMPONENT))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(StiggSidecarResources.selector(spec.name(), COMPONENT)).endPodSelector()
          .withPolicyTypes("Ingress")
          .addNewIngress()
            .withFrom(callers)
            .addNewPort().withProtocol("TCP").withPort(new IntOrString(spec.grpcPort())).endPort()
          .endIngress()
          .addNewIngress()
            .addNewPort().withProtocol("TCP").withPort(new IntOrString(spec.httpPort())).endPort()
          .endIngress()
        .endSpec()
        .build();
  }

  public static Service service(EffectiveSpec spec) {
    return new ServiceBuilder()
        .withMetadata(OwnedMetadata.of(spec, StiggSidecarResources.standaloneName(spec.name()), COMPONENT))
        .withNewSpec()
          .withSelector(StiggSidecarResources.selector(spec.name(), COMPONENT))
          .addNewPort().withName("grpc").withAppProtocol("grpc").withPort(spec.grpcPort())
            .withNewTargetPort("grpc").withProtocol("TCP").endPort()
          .addNewPort().withName("http-metrics").withPort(spec.httpPort())
            .withNewTargetPort("sidecar-http").withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /** At most one standalone pod down at a time during voluntary disruptions (drains, upgrades). */
  public static PodDisruptionBudget disruptionBudget(EffectiveSpec spec) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(OwnedMetadata.of(spec, StiggSidecarResources.standaloneName(spec.name()), COMPONENT))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withSelector(OwnedMetadata.selector(spec, COMPONENT))
        .endSpec()
        .build();
  }
}
