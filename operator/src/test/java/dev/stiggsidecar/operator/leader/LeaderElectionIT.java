package dev.stiggsidecar.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.JarProcess;
import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator replicas as processes of the packaged jar, authenticated as the operator's
 * ServiceAccount with the shipped RBAC: one leads and keeps renewing, a standby takes over when it
 * stops (handed over) or dies (lease expiry), and after a rollout of every replica one of the new
 * ones leads and reconciles. Lease timing is shortened to 4/3/1 s so that several lease periods
 * fit in a test.
 */
@ExtendWith(ApiServerExtension.class)
class LeaderElectionIT {

  private static final Logger log = LoggerFactory.getLogger(LeaderElectionIT.class);
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final List<Replica> replicas = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() {
    replicas.forEach(replica -> replica.process().close());
  }

  @Test
  void oneLeaderRenewsAndAStandbyTakesOverOnStopCrashAndRollout(ApiServer server) {
    KubernetesClient admin = server.admin();
    Installation.render().applyFoundations(server);
    Path kubeconfig = server.kubeconfigAs(Installation.NAMESPACE, Installation.OPERATOR);
    String ns = server.createNamespace("leader");
    admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("stigg-api-key")
        .endMetadata().addToStringData("SERVER_API_KEY", "key").build()).create();

    Replica a = replica("operator-a", kubeconfig);
    Replica b = replica("operator-b", kubeconfig);
    Replica leader = awaitLeader(admin, List.of(a, b), Duration.ofSeconds(60));
    Replica standby = leader == a ? b : a;

    // The leader keeps renewing for several lease periods, and nobody else takes the lease.
    ZonedDateTime firstRenewal = lease(admin).getSpec().getRenewTime();
    String identity = lease(admin).getSpec().getHolderIdentity();
    await().atMost(LEASE.multipliedBy(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
      Lease now = lease(admin);
      assertThat(now.getSpec().getHolderIdentity()).isEqualTo(identity);
      return Duration.between(firstRenewal, now.getSpec().getRenewTime()).compareTo(LEASE.multipliedBy(3)) >= 0;
    });
    assertThat(leader.process().isAlive()).as(leader.process().toString()).isTrue();
    assertThat(standby.process().isAlive()).as(standby.process().toString()).isTrue();
    assertReconciles(admin, ns, "first");

    // SIGTERM (a rollout, an eviction): the leader exits promptly and hands the lease over.
    long stopped = System.nanoTime();
    assertThat(leader.process().stop(20)).as(leader.process().toString()).isEqualTo(143);
    assertThat(awaitLeader(admin, List.of(standby), LEASE)).isSameAs(standby);
    log.info("a stopped leader handed over in {} ms (lease duration {} s)",
        Duration.ofNanos(System.nanoTime() - stopped).toMillis(), LEASE.toSeconds());
    assertThat(leader.process().output()).contains("released the leader lease");
    assertReconciles(admin, ns, "second");

    // A rollout: two new replicas become ready, then the old one stops; one of the new ones leads.
    Replica c = replica("operator-c", kubeconfig);
    Replica d = replica("operator-d", kubeconfig);
    awaitReady(c);
    awaitReady(d);
    assertThat(standby.process().stop(20)).isEqualTo(143);
    Replica rolledOut = awaitLeader(admin, List.of(c, d), LEASE);
    assertReconciles(admin, ns, "third");

    // A crash: the other new replica takes over once the lease expires.
    long crashed = System.nanoTime();
    rolledOut.process().kill();
    Replica survivor = rolledOut == c ? d : c;
    assertThat(awaitLeader(admin, List.of(survivor), LEASE.plus(RETRY).plusSeconds(1))).isSameAs(survivor);
    log.info("a killed leader was replaced in {} ms (lease duration {} s)",
        Duration.ofNanos(System.nanoTime() - crashed).toMillis(), LEASE.toSeconds());
    assertReconciles(admin, ns, "fourth");

    for (Replica replica : replicas) {
      assertThat(replica.process().output()).as(replica.process().name())
          .doesNotContainIgnoringCase("forbidden")
          .doesNotContain("Exception", "Exiting.");
    }
  }

  /** An operator process and its health port. */
  private record Replica(JarProcess process, int httpPort) {}

  private Replica replica(String name, Path kubeconfig) {
    int httpPort = JarProcess.freePort();
    Replica replica = new Replica(JarProcess.start(name, Path.of(System.getProperty("operator.jar")), List.of("run"),
        Map.of("KUBECONFIG", kubeconfig.toString(),
            "HOSTNAME", name,
            "HTTP_PORT", Integer.toString(httpPort),
            LeaderLease.NAMESPACE_VARIABLE, Installation.NAMESPACE,
            LeaderLease.LEASE_DURATION_VARIABLE, Long.toString(LEASE.toSeconds()),
            LeaderLease.RENEW_DEADLINE_VARIABLE, "3",
            LeaderLease.RETRY_PERIOD_VARIABLE, Long.toString(RETRY.toSeconds()))), httpPort);
    replicas.add(replica);
    return replica;
  }

  private static Lease lease(KubernetesClient admin) {
    return admin.resources(Lease.class).inNamespace(Installation.NAMESPACE).withName(LeaderLease.NAME).get();
  }

  /** The replica among {@code candidates} that holds the lease, once one does. */
  private static Replica awaitLeader(KubernetesClient admin, List<Replica> candidates, Duration within) {
    return await().atMost(within).pollInterval(Duration.ofMillis(100))
        .until(() -> Optional.ofNullable(lease(admin)).map(Lease::getSpec).map(spec -> spec.getHolderIdentity())
            .flatMap(holder -> candidates.stream()
                .filter(candidate -> holder.startsWith(candidate.process().name() + "_")).findFirst()),
            Optional::isPresent)
        .orElseThrow();
  }

  private void awaitReady(Replica replica) {
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.httpPort() + "/readyz")).build();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  private static void assertReconciles(KubernetesClient admin, String ns, String name) {
    StiggSidecar resource = Serialization.unmarshal(("""
        apiVersion: sidecar.stigg.io/v1alpha1
        kind: StiggSidecar
        metadata: {name: %s, namespace: %s}
        spec:
          apiKeySecretRef: {name: stigg-api-key, key: SERVER_API_KEY}
        """).formatted(name, ns), StiggSidecar.class);
    admin.resource(resource).create();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        admin.configMaps().inNamespace(ns).withName(name + "-sidecar-env").get() != null);
  }
}
