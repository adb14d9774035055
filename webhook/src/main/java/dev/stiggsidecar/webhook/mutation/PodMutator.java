package dev.stiggsidecar.webhook.mutation;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.pod.ConfigHash;
import dev.stiggsidecar.api.pod.SidecarContainerRenderer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds the sidecar to a pod: a pure function, and idempotent, so that re-invocation after other
 * webhooks and applying it to its own output change nothing. It only ever appends: user
 * containers, init containers, volumes and env keep their content and order, and an env var the
 * user set is never overridden.
 */
public final class PodMutator {

  private PodMutator() {}

  /**
   * @param nativeSidecar run the sidecar as an init container with {@code restartPolicy: Always}
   *     (Kubernetes 1.29+): it starts, and passes its startup probe, before the application
   */
  public static Pod mutate(Pod original, EffectiveSpec spec, boolean nativeSidecar, Overrides overrides) {
    Pod pod = new PodBuilder(original).build();
    var podSpec = pod.getSpec();
    List<Container> containers = podSpec.getContainers() == null ? new ArrayList<>() : new ArrayList<>(podSpec.getContainers());
    List<Container> initContainers = podSpec.getInitContainers() == null ? new ArrayList<>() : new ArrayList<>(podSpec.getInitContainers());

    boolean present = containers.stream().anyMatch(PodMutator::isSidecar) || initContainers.stream().anyMatch(PodMutator::isSidecar);
    if (!present) {
      Container sidecar = sidecarContainer(spec, overrides);
      if (nativeSidecar) {
        sidecar.setRestartPolicy("Always");
        initContainers.add(0, sidecar);
      } else {
        containers.add(sidecar);
      }
    }
    List<Container> apps = new ArrayList<>();
    for (Container container : containers) {
      apps.add(isSidecar(container) ? container : withSidecarAddress(container, spec));
    }
    podSpec.setContainers(apps);
    podSpec.setInitContainers(initContainers.isEmpty() && original.getSpec().getInitContainers() == null ? null : initContainers);

    List<Volume> volumes = podSpec.getVolumes() == null ? new ArrayList<>() : new ArrayList<>(podSpec.getVolumes());
    if (volumes.stream().noneMatch(v -> SidecarContainerRenderer.TMP_VOLUME.equals(v.getName()))) {
      volumes.add(SidecarContainerRenderer.tmpVolume());
    }
    podSpec.setVolumes(volumes);

    Map<String, String> annotations = new LinkedHashMap<>(
        pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations());
    annotations.put(InjectionKeys.STATUS, "injected");
    annotations.put(InjectionKeys.CONFIG_HASH, ConfigHash.of(spec));
    // Classic mode puts a second container in the pod; keep `kubectl logs/exec` pointing at the app.
    if (!present && !nativeSidecar && !annotations.containsKey("kubectl.kubernetes.io/default-container")
        && !isSidecar(apps.get(0))) {
      annotations.put("kubectl.kubernetes.io/default-container", apps.get(0).getName());
    }
    pod.getMetadata().setAnnotations(annotations);
    Map<String, String> labels = new LinkedHashMap<>(
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    labels.put(InjectionKeys.INJECTED_BY, spec.name());
    pod.getMetadata().setLabels(labels);
    return pod;
  }

  static boolean isSidecar(Container container) {
    return InjectionKeys.CONTAINER_NAME.equals(container.getName());
  }

  private static Container sidecarContainer(EffectiveSpec spec, Overrides overrides) {
    Container sidecar = SidecarContainerRenderer.render(spec, "127.0.0.1");
    ResourceRequirements resources = sidecar.getResources();
    Map<String, Quantity> requests = new TreeMap<>(resources.getRequests() == null ? Map.of() : resources.getRequests());
    Map<String, Quantity> limits = new TreeMap<>(resources.getLimits() == null ? Map.of() : resources.getLimits());
    overrides.cpuRequest().ifPresent(q -> requests.put("cpu", new Quantity(q)));
    overrides.memoryRequest().ifPresent(q -> requests.put("memory", new Quantity(q)));
    overrides.cpuLimit().ifPresent(q -> limits.put("cpu", new Quantity(q)));
    overrides.memoryLimit().ifPresent(q -> limits.put("memory", new Quantity(q)));
    sidecar.setResources(new ResourceRequirements(resources.getClaims(), limits, requests));
    overrides.logLevel().ifPresent(level -> {
      List<EnvVar> env = new ArrayList<>(sidecar.getEnv());
      env.add(new EnvVarBuilder().withName(SidecarEnv.LOG_LEVEL).withValue(level).build());
      sidecar.setEnv(env);
    });
    return sidecar;
  }

  /** Tells an application container where the sidecar is, unless it says so itself. */
  private static Container withSidecarAddress(Container container, EffectiveSpec spec) {
    List<EnvVar> env = container.getEnv() == null ? new ArrayList<>() : new ArrayList<>(container.getEnv());
    addIfAbsent(env, spec.injection().hostEnvName(), "127.0.0.1");
    addIfAbsent(env, spec.injection().portEnvName(), Integer.toString(spec.grpcPort()));
    Container copy = new ContainerBuilder(container).build();
    copy.setEnv(env);
    return copy;
  }

  private static void addIfAbsent(List<EnvVar> env, String name, String value) {
    Optional<EnvVar> existing = env.stream().filter(e -> name.equals(e.getName())).findFirst();
    if (existing.isEmpty()) {
      env.add(new EnvVarBuilder().withName(name).withValue(value).build());
    }
  }
}
