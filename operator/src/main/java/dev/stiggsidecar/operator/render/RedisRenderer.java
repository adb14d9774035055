package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.pod.SidecarContainerRenderer;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.EffectiveSpec.ManagedRedis;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * The managed Redis: one replica without persistence (a restart empties it; sidecars refill it
 * from Stigg), running as the image's non-root user with a read-only root filesystem.
 */
public final class RedisRenderer {

  private static final String COMPONENT = StiggSidecarResources.COMPONENT_REDIS;

  private RedisRenderer() {}

  public static Deployment deployment(EffectiveSpec spec, ManagedRedis redis) {
    String name = StiggSidecarResources.redisName(spec.name());
    Map<String, String> labels = StiggSidecarResources.labels(spec.name(), COMPONENT);
    return new DeploymentBuilder()
        .withMetadata(OwnedMetadata.of(spec, name, COMPONENT))
        .withNewSpec()
          .withReplicas(1)
          .withNewStrategy().withType("Recreate").endStrategy()
          .withSelector(OwnedMetadata.selector(spec, COMPONENT))
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(999L).withFsGroup(999L).endSecurityContext()
              .addNewContainer()
                .withName("redis")
                .withImage(redis.image())
                .withArgs("--save", "", "--appendonly", "no")
                .addNewPort().withName("redis").withContainerPort(EffectiveSpec.DEFAULT_REDIS_PORT).withProtocol("TCP").endPort()
                .withResources(redis.resources())
                .withNewReadinessProbe().withNewExec().withCommand("redis-cli", "ping").endExec()
                  .withPeriodSeconds(5).withTimeoutSeconds(2).endReadinessProbe()
                .withNewLivenessProbe().withNewTcpSocket().withNewPort("redis").endTcpSocket()
                  .withPeriodSeconds(10).endLivenessProbe()
                .withSecurityContext(SidecarContainerRenderer.restricted())
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(EffectiveSpec spec) {
    return new ServiceBuilder()
        .withMetadata(OwnedMetadata.of(spec, StiggSidecarResources.redisName(spec.name()), COMPONENT))
        .withNewSpec()
          .withSelector(StiggSidecarResources.selector(spec.name(), COMPONENT))
          .addNewPort().withName("redis").withPort(EffectiveSpec.DEFAULT_REDIS_PORT).withNewTargetPort("redis").withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }
}
