package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.pod.SidecarContainerRenderer;
import dev.stiggsidecar.api.pod.SidecarEnvironment;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.EffectiveSpec.PersistentCache;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * The persistent cache service: reads the same ConfigMap and Secrets as the sidecars, so it writes
 * the Redis they read with the same prefix.
 */
public final class PersistentCacheRenderer {

  private static final String COMPONENT = StiggSidecarResources.COMPONENT_PERSISTENT_CACHE;

  private PersistentCacheRenderer() {}

  /** @param redisAuthVersion see {@link dev.stiggsidecar.contract.InjectionKeys#REDIS_AUTH_VERSION} */
  public static Deployment deployment(EffectiveSpec spec, PersistentCache cache, Optional<String> redisAuthVersion) {
    Container container = new ContainerBuilder()
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
        .build();
    return ConfiguredDeployment.of(spec, StiggSidecarResources.persistentCacheName(spec.name()), COMPONENT,
        cache.replicas(), container, redisAuthVersion);
  }
}
