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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * Standalone mode: sidecars as a Deployment behind a ClusterIP Service, for applications that call
 * the sidecar over the network. gRPC binds to all interfaces here, unlike an injected sidecar.
 */
public final class StandaloneRenderer {

  private static final String COMPONENT = StiggSidecarResources.COMPONENT_STANDALONE;

  private StandaloneRenderer() {}

  public static Deployment deployment(EffectiveSpec spec, Standalone standalone) {
    return ConfiguredDeployment.of(spec, StiggSidecarResources.standaloneName(spec.name()), COMPONENT,
        standalone.replicas(), SidecarContainerRenderer.render(spec, "0.0.0.0"));
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
