package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.pod.SidecarContainerRenderer;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.EffectiveSpec.ManagedRedis;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.api.pod.SidecarEnvironment;
import dev.stiggsidecar.contract.InjectionKeys;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The managed Redis: one replica without persistence (a restart empties it; sidecars refill it
 * from Stigg), running as the image's non-root user with a read-only root filesystem. It requires
 * the password from {@code <name>-redis-auth} (held in {@code REDISCLI_AUTH}, which is also how
 * {@code redis-cli} in the probe authenticates), and its NetworkPolicy admits only the pods that
 * use it: injected pods, standalone sidecars and the persistent cache of the same resource.
 */
public final class RedisRenderer {

  private static final String COMPONENT = StiggSidecarResources.COMPONENT_REDIS;
  private static final String REDISCLI_AUTH = "REDISCLI_AUTH";

  private RedisRenderer() {}

  /**
   * @param authVersion the version of the password Secret (see {@link InjectionKeys#REDIS_AUTH_VERSION}),
   *     empty when not known ({@code render})
   */
  public static Deployment deployment(EffectiveSpec spec, ManagedRedis redis, Optional<String> authVersion) {
    String name = StiggSidecarResources.redisName(spec.name());
    Map<String, String> labels = StiggSidecarResources.labels(spec.name(), COMPONENT);
    return new DeploymentBuilder()
        .withMetadata(OwnedMetadata.of(spec, name, COMPONENT))
        .withNewSpec()
          .withReplicas(1)
          .withNewStrategy().withType("Recreate").endStrategy()
          .withSelector(OwnedMetadata.selector(spec, COMPONENT))
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).withAnnotations(authAnnotation(authVersion)).endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(999L).withFsGroup(999L).endSecurityContext()
              .addNewContainer()
                .withName("redis")
                .withImage(redis.image())
                // The kubelet expands $(REDISCLI_AUTH): the password is in no object, only in the process.
                .withArgs("--save", "", "--appendonly", "no", "--requirepass", "$(" + REDISCLI_AUTH + ")")
                .withEnv(SidecarEnvironment.managedRedisPassword(spec, REDISCLI_AUTH))
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

  /** Redis is reached only by the pods that use it, of this resource and namespace. */
  public static NetworkPolicy networkPolicy(EffectiveSpec spec) {
    return new NetworkPolicyBuilder()
        .withMetadata(OwnedMetadata.of(spec, StiggSidecarResources.redisName(spec.name()), COMPONENT))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(StiggSidecarResources.selector(spec.name(), COMPONENT)).endPodSelector()
          .withPolicyTypes("Ingress")
          .addNewIngress()
            .addNewFrom().withNewPodSelector().withMatchLabels(Map.of(InjectionKeys.INJECTED_BY, spec.name()))
              .endPodSelector().endFrom()
            .addNewFrom().withNewPodSelector().withMatchLabels(StiggSidecarResources.selector(spec.name(),
              StiggSidecarResources.COMPONENT_STANDALONE)).endPodSelector().endFrom()
            .addNewFrom().withNewPodSelector().withMatchLabels(StiggSidecarResources.selector(spec.name(),
              StiggSidecarResources.COMPONENT_PERSISTENT_CACHE)).endPodSelector().endFrom()
            .addNewPort().withProtocol("TCP").withPort(new IntOrString(EffectiveSpec.DEFAULT_REDIS_PORT)).endPort()
          .endIngress()
        .endSpec()
        .build();
  }

  /** The pod template annotation that restarts pods when the password Secret changes. */
  static Map<String, String> authAnnotation(Optional<String> authVersion) {
    return authVersion.map(version -> Map.of(InjectionKeys.REDIS_AUTH_VERSION, version)).orElse(Map.of());
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
