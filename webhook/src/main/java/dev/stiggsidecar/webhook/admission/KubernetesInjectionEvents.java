package dev.stiggsidecar.webhook.admission;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records skipped injections as Warning events on the pod (by the name it will have, or its
 * generateName prefix), so {@code kubectl get events} shows why a sidecar is missing. Runs after
 * the decision is made and never fails the admission.
 */
public final class KubernetesInjectionEvents implements InjectionEvents {

  private static final Logger log = LoggerFactory.getLogger(KubernetesInjectionEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  public KubernetesInjectionEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void notInjected(String namespace, String podName, String reason) {
    String time = clock.instant().toString();
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata().withName("stigg-sidecar-injection." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(namespace).endMetadata()
          .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(podName).withNamespace(namespace)
            .endInvolvedObject()
          .withType("Warning").withReason("SidecarNotInjected").withMessage(reason)
          .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
          .withNewSource().withComponent("stigg-sidecar-webhook").endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      log.warn("could not record a SidecarNotInjected event in {}: {} ({})", namespace, e.getMessage(), reason);
    }
  }
}
