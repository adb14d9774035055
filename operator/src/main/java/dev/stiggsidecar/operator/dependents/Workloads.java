package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/** Reads owned Deployments from the informer caches, by name. */
public final class Workloads {

  private Workloads() {}

  public static Optional<Deployment> deployment(Context<StiggSidecar> context, String name) {
    return context.getSecondaryResources(Deployment.class).stream()
        .filter(deployment -> name.equals(deployment.getMetadata().getName()))
        .findFirst();
  }

  /** Ready replicas as reported by the Deployment controller; 0 when absent or not yet observed. */
  public static int readyReplicas(Optional<Deployment> deployment) {
    return deployment.map(Deployment::getStatus)
        .map(status -> status.getReadyReplicas() == null ? 0 : status.getReadyReplicas())
        .orElse(0);
  }
}
