package dev.stiggsidecar.api.pod;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar container, as the standalone Deployment runs it and the webhook injects it: config
 * from the ConfigMap, the API key from its Secret, health probes, and a restricted security
 * context with a read-only root filesystem (the JVM's scratch space is an emptyDir).
 */
public final class SidecarContainerRenderer {

  public static final String TMP_VOLUME = "stigg-sidecar-tmp";
  /** Read by every JVM at start, before the options on its command line (which win where both set one). */
  public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  private SidecarContainerRenderer() {}

  /**
   * @param grpcBindAddress {@code 127.0.0.1} when injected (only the pod's app calls it),
   *     {@code 0.0.0.0} when standalone (other pods call it through the Service)
   */
  public static Container render(EffectiveSpec spec, String grpcBindAddress) {
    List<EnvVar> env = new ArrayList<>(SidecarEnvironment.secretEnv(spec));
    env.add(new EnvVarBuilder().withName(SidecarEnv.GRPC_BIND_ADDRESS).withValue(grpcBindAddress).build());
    // On the container rather than in the ConfigMap, which the persistent cache loads too.
    spec.jvmOptions().ifPresent(options ->
        env.add(new EnvVarBuilder().withName(JAVA_TOOL_OPTIONS).withValue(options).build()));
    return new ContainerBuilder()
        .withName(InjectionKeys.CONTAINER_NAME)
        .withImage(spec.image())
        .withImagePullPolicy(spec.imagePullPolicy())
        .addNewPort().withName("grpc").withContainerPort(spec.grpcPort()).withProtocol("TCP").endPort()
        .addNewPort().withName("sidecar-http").withContainerPort(spec.httpPort()).withProtocol("TCP").endPort()
        .addNewEnvFrom().withNewConfigMapRef().withName(StiggSidecarResources.configMapName(spec.name())).endConfigMapRef().endEnvFrom()
        .withEnv(env)
        .withResources(spec.resources())
        .withStartupProbe(httpProbe("/readyz", spec.httpPort(), 1, 60))
        .withLivenessProbe(httpProbe("/livez", spec.httpPort(), 10, 3))
        .withReadinessProbe(httpProbe("/readyz", spec.httpPort(), 5, 2))
        .withSecurityContext(restricted())
        .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
        .build();
  }

  /** The writable scratch directory the container mounts at {@code /tmp}. */
  public static Volume tmpVolume() {
    return new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build();
  }

  public static Probe httpProbe(String path, int port, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withNewPort(port).endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(2)
        .build();
  }

  public static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }
}
