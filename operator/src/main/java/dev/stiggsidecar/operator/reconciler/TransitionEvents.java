package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits Kubernetes Events when the {@code Ready} condition changes status or reason and when a
 * workload is restarted, so {@code kubectl describe} tells the story. Failing to record an event never fails a reconciliation.
 */
final class TransitionEvents {

  private static final Logger log = LoggerFactory.getLogger(TransitionEvents.class);

  private final Clock clock;

  TransitionEvents(Clock clock) {
    this.clock = clock;
  }

  void record(KubernetesClient client, StiggSidecar resource, StiggSidecarStatus status) {
    Optional<Condition> before = ready(resource.getStatus() == null ? null : resource.getStatus().conditions());
    Optional<Condition> after = ready(status.conditions());
    if (after.isEmpty() || (before.isPresent()
        && Objects.equals(before.get().getStatus(), after.get().getStatus())
        && Objects.equals(before.get().getReason(), after.get().getReason()))) {
      return;
    }
    Condition now = after.get();
    emit(client, resource, "True".equals(now.getStatus()) ? "Normal" : "Warning", now.getReason(), now.getMessage());
  }

  void rolloutRestart(KubernetesClient client, StiggSidecar resource, String workload, String configHash) {
    emit(client, resource, "Normal", "RolloutRestart",
        "restarted " + workload + " so its pods get the sidecar configuration " + configHash);
  }

  private void emit(KubernetesClient client, StiggSidecar resource, String type, String reason, String message) {
    String time = clock.instant().toString();
    try {
      client.v1().events().inNamespace(resource.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withName(resource.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(resource.getMetadata().getNamespace()).endMetadata()
          .withNewInvolvedObject().withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
            .withName(resource.getMetadata().getName()).withNamespace(resource.getMetadata().getNamespace())
            .withUid(resource.getMetadata().getUid()).endInvolvedObject()
          .withType(type)
          .withReason(reason)
          .withMessage(message)
          .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
          .withNewSource().withComponent("stigg-sidecar-operator").endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      log.warn("could not record event {} for {}/{}: {}", reason, resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(), e.getMessage());
    }
  }

  private static Optional<Condition> ready(List<Condition> conditions) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst();
  }
}
