package dev.stiggsidecar.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.contract.InjectionKeys;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RolloutRestarterTest {

  private static final String NS = "shop";
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  KubernetesClient client;
  private final RolloutRestarter restarter = new RolloutRestarter(Clock.fixed(NOW, ZoneOffset.UTC));
  private List<Pod> outdated;

  @BeforeEach
  void workloads() {
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("checkout")
        .withUid("dep-uid").endMetadata().withNewSpec().withNewTemplate().withNewMetadata().endMetadata().endTemplate()
        .endSpec().build()).create();
    client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata()
        .withName("checkout-abc").withOwnerReferences(controller("Deployment", "checkout")).endMetadata().build()).create();
    client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder().withNewMetadata().withName("ledger")
        .endMetadata().withNewSpec().withNewTemplate().withNewMetadata().endMetadata().endTemplate().endSpec().build())
        .create();
    outdated = List.of(pod("checkout-abc-1", "ReplicaSet", "checkout-abc"), pod("checkout-abc-2", "ReplicaSet", "checkout-abc"),
        pod("ledger-0", "StatefulSet", "ledger"), pod("static", null, null));
  }

  @Test
  void restartsOneWorkloadAtATimeAndNeverTheSameTwiceForAHash() {
    Optional<RolloutRestarter.Workload> first = restarter.restartOne(client, NS, "hash-2", outdated, Optional.empty());
    assertThat(first).hasValue(new RolloutRestarter.Workload("Deployment", "checkout"));
    assertThat(client.apps().deployments().inNamespace(NS).withName("checkout").get().getSpec().getTemplate()
        .getMetadata().getAnnotations())
        .containsEntry(RolloutRestarter.RESTARTED_AT, NOW.toString())
        .containsEntry(InjectionKeys.RESTARTED_FOR, "hash-2");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("ledger").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).isNullOrEmpty();

    // Rate limit: nothing within the interval of the last restart.
    assertThat(restarter.restartOne(client, NS, "hash-2", outdated, Optional.of(NOW.minusSeconds(10)))).isEmpty();

    // After the interval, the next workload; the Deployment, already restarted for hash-2, is skipped.
    assertThat(restarter.restartOne(client, NS, "hash-2", outdated, Optional.of(NOW.minusSeconds(31))))
        .hasValue(new RolloutRestarter.Workload("StatefulSet", "ledger"));
    assertThat(restarter.restartOne(client, NS, "hash-2", outdated, Optional.of(NOW.minusSeconds(31)))).isEmpty();

    // A new configuration restarts it again.
    assertThat(restarter.restartOne(client, NS, "hash-3", outdated, Optional.of(NOW.minusSeconds(31))))
        .hasValue(new RolloutRestarter.Workload("Deployment", "checkout"));
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference controller(String kind, String name) {
    return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name).withUid(name + "-uid")
        .withController(true).build();
  }

  private static Pod pod(String name, String ownerKind, String ownerName) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .addToLabels(InjectionKeys.INJECTED_BY, "default").addToAnnotations(InjectionKeys.CONFIG_HASH, "hash-1")
        .endMetadata();
    if (ownerKind != null) {
      pod.editMetadata().withOwnerReferences(controller(ownerKind, ownerName)).endMetadata();
    }
    return pod.build();
  }
}
