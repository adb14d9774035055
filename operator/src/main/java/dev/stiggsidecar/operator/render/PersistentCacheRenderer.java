package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.operator.model.EffectiveSpec;
import dev.stiggsidecar.operator.model.EffectiveSpec.PersistentCache;
import dev.stiggsidecar.operator.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * The persistent cache service: reads the same ConfigMap and Secrets as the sidecars, so it writes
 * the Redis they read with the same prefix. The config hash on its pod template rolls it when the
 * configuration changes (envFrom alone would not).
 */
public final class PersistentCacheRenderer {

  private static final String COMPONENT = StiggSidecarResources.COMPONENT_PERSISTENT_CACHE;

  private PersistentCacheRenderer() {}

  public static Deployment deployment(EffectiveSpec spec, PersistentCache cache) {
    Map<String, String> labels = StiggSidecarResources.labels(spec.name(), COMPONENT);
    return new DeploymentBuilder()
        .withMetadata(OwnedMetadata.of(spec, StiggSidecarResources.persistentCacheName(spec.name()), COMPONENT))
        .withNewSpec()
          .withReplicas(cache.replicas())
          .withSelector(OwnedMetadata.selector(spec, COMPONENT))
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(labels)
              .withAnnotations(Map.of(InjectionKeys.CONFIG_HASH, ConfigHash.of(spec)))
            .endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .addNewContainer()
                .withName("persistent-cache")
                .withImage(cache.image())
                .withImagePullPolicy(spec.imagePullPolicy())
                .addNewPort().withName("http").withContainerPort(spec.httpPort()).withProtocol("TCP").endPort()
                .addNewEnvFrom().withNewConfigMapRef().withName(StiggSidecarResources.configMapName(spec.name())).endConfigMapRef().endEnvFrom()
                .withEnv(SidecarEnvironment.secretEnv(spec))
                .withResources(cache.resources())
                .withLivenessProbe(SidecarContainerRenderer.httpProbe("/livez", spec.httpPort(), 10, 3))
                .withReadinessProbe(SidecarContainerRenderer.httpProbe("/readyz", spec.httpPort(), 5, 2))
                .withSecurityContext(SidecarContainerRenderer.restricted())
                .addNewVolumeMount().withName(SidecarContainerRenderer.TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
              .endContainer()
              .withVolumes(SidecarContainerRenderer.tmpVolume())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
