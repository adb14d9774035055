package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.contract.InjectionKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * With {@code injection.rollout: Restart}, restarts the workloads whose injected pods carry an old
 * configuration hash, the way {@code kubectl rollout restart} does. One workload at a time, at
 * most one per {@link #MIN_INTERVAL}, so a config change never restarts a namespace at once.
 *
 * <p>The restart writes the hash it is for ({@link InjectionKeys#RESTARTED_FOR}) on the pod
 * template; the webhook reads it from each new pod, and when its own cached view is older, reads
 * the {@code StiggSidecar} afresh, so restarted pods cannot come up with the configuration the
 * restart was meant to replace. A workload already restarted for the current hash is left alone:
 * if its pods still come up outdated (the webhook was down), restarting again would loop.
 */
final class RolloutRestarter {

  static final Duration MIN_INTERVAL = Duration.ofSeconds(30);
  static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  private final Clock clock;

  RolloutRestarter(Clock clock) {
    this.clock = clock;
  }

  /** A workload to restart: kind and name in the pods' namespace. */
  record Workload(String kind, String name) {
    @Override
    public String toString() {
      return kind + "/" + name;
    }
  }

  /**
   * Restarts at most one outdated workload, when the last restart is old enough.
   *
   * @return the workload restarted, if any
   */
  Optional<Workload> restartOne(KubernetesClient client, String namespace, String configHash, List<Pod> outdated,
      Optional<Instant> lastRollout) {
    Instant now = clock.instant();
    if (lastRollout.isPresent() && lastRollout.get().plus(MIN_INTERVAL).isAfter(now)) {
      return Optional.empty();
    }
    Set<Workload> workloads = new LinkedHashSet<>();
    for (Pod pod : outdated) {
      workloadOf(client, namespace, pod).ifPresent(workloads::add);
    }
    for (Workload workload : workloads) {
      if (restart(client, namespace, workload, configHash, now)) {
        return Optional.of(workload);
      }
    }
    return Optional.empty();
  }

  private static Optional<Workload> workloadOf(KubernetesClient client, String namespace, Pod pod) {
    Optional<OwnerReference> owner = controller(pod);
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    switch (owner.get().getKind()) {
      case "StatefulSet", "DaemonSet" -> {
        return Optional.of(new Workload(owner.get().getKind(), owner.get().getName()));
      }
      case "ReplicaSet" -> {
        ReplicaSet replicaSet = client.apps().replicaSets().inNamespace(namespace).withName(owner.get().getName()).get();
        return Optional.ofNullable(replicaSet).flatMap(RolloutRestarter::controller)
            .filter(parent -> parent.getKind().equals("Deployment"))
            .map(parent -> new Workload("Deployment", parent.getName()));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static Optional<OwnerReference> controller(HasMetadata object) {
    return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
        : object.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
  }

  private static boolean restart(KubernetesClient client, String namespace, Workload workload, String configHash,
      Instant now) {
    return switch (workload.kind()) {
      case "Deployment" -> restart(client.apps().deployments().inNamespace(namespace).withName(workload.name()),
          d -> d.getSpec().getTemplate(), configHash, now);
      case "StatefulSet" -> restart(client.apps().statefulSets().inNamespace(namespace).withName(workload.name()),
          s -> s.getSpec().getTemplate(), configHash, now);
      case "DaemonSet" -> restart(client.apps().daemonSets().inNamespace(namespace).withName(workload.name()),
          d -> d.getSpec().getTemplate(), configHash, now);
      default -> false;
    };
  }

  private static <W extends HasMetadata> boolean restart(Resource<W> resource, Function<W, PodTemplateSpec> template,
      String configHash, Instant now) {
    W current = resource.get();
    if (current == null || alreadyRestarted(template.apply(current), configHash)) {
      return false;
    }
    // What `kubectl rollout restart` writes, plus the hash the restart is for. A merge patch of
    // these two annotations needs no resourceVersion, so the workload's controller writing its
    // status in between cannot make it fail with a conflict.
    Map<String, Object> annotations = Map.of(RESTARTED_AT, now.toString(), InjectionKeys.RESTARTED_FOR, configHash);
    resource.patch(PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations", annotations))))));
    return true;
  }

  private static boolean alreadyRestarted(PodTemplateSpec template, String configHash) {
    return template.getMetadata() != null && template.getMetadata().getAnnotations() != null
        && configHash.equals(template.getMetadata().getAnnotations().get(InjectionKeys.RESTARTED_FOR));
  }
}
