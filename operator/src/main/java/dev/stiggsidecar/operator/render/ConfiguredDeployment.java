package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.pod.ConfigHash;
import dev.stiggsidecar.api.pod.SidecarContainerRenderer;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Deployment whose one container loads the sidecar configuration (persistent cache, standalone
 * sidecars). The configuration hash on its pod template rolls it when the configuration changes,
 * which {@code envFrom} alone would not; no service account token, a writable {@code /tmp}.
 */
final class ConfiguredDeployment {

  private ConfiguredDeployment() {}

  /** @param redisAuthVersion see {@link InjectionKeys#REDIS_AUTH_VERSION}; empty without a managed Redis */
  static Deployment of(EffectiveSpec spec, String name, String component, int replicas, Container container,
      Optional<String> redisAuthVersion) {
    Map<String, String> annotations = new TreeMap<>(RedisRenderer.authAnnotation(redisAuthVersion));
    annotations.put(InjectionKeys.CONFIG_HASH, ConfigHash.of(spec));
    return new DeploymentBuilder()
        .withMetadata(OwnedMetadata.of(spec, name, component))
        .withNewSpec()
          .withReplicas(replicas)
          .withSelector(OwnedMetadata.selector(spec, component))
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(StiggSidecarResources.labels(spec.name(), component))
              .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .withContainers(container)
              .withVolumes(SidecarContainerRenderer.tmpVolume())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
