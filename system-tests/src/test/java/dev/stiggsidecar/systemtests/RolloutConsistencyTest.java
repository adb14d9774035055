package dev.stiggsidecar.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.JarProcess;
import dev.stiggsidecar.kubetest.RejectionLog;
import dev.stiggsidecar.kubetest.StandInControllers;
import dev.stiggsidecar.kubetest.Tenant;
import dev.stiggsidecar.operator.StiggSidecarOperator;
import dev.stiggsidecar.webhook.WebhookServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator and the webhook together on a real API server, each as its own ServiceAccount with
 * the shipped RBAC, pods passing through the real admission chain: a spec change followed at once
 * by the restart's new pods converges on the new configuration, even when the webhook's cache has
 * not seen the change (here: frozen on purpose), and the status reaches {@code outdated: 0}.
 */
@ExtendWith(ApiServerExtension.class)
class RolloutConsistencyTest {

  @Test
  void restartedPodsCarryTheNewConfigurationEvenWhenTheWebhookCacheIsBehind(ApiServer server) throws Exception {
    KubernetesClient admin = server.admin();
    Installation installation = Installation.render().applyFoundations(server);
    RejectionLog webhookRejections = new RejectionLog();
    RejectionLog operatorRejections = new RejectionLog();
    int port = JarProcess.freePort();
    installation.applyWebhookConfigurationCalling(server, port);
    Map<String, String> env = Map.of("PORT", Integer.toString(port), "HTTP_PORT", "0",
        "POD_NAMESPACE", Installation.NAMESPACE, "TLS_EXTRA_HOSTS", "127.0.0.1",
        "TLS_DIRECTORY", Files.createTempDirectory(Path.of("target"), "tls").toAbsolutePath().toString(),
        OperatorDefaults.SIDECAR_IMAGE, "stigg-sidecar:test");
    String ns = Tenant.create(server, "rollout", "injection: {rollout: Restart}");

    KubernetesClient webhookClient = server.clientAs(Installation.NAMESPACE, Installation.WEBHOOK, webhookRejections);
    KubernetesClient operatorClient = server.clientAs(Installation.NAMESPACE, Installation.OPERATOR, operatorRejections);
    Operator operator = StiggSidecarOperator.create(operatorClient, OperatorDefaults.fromEnv(env),
        new SimpleMeterRegistry(), Optional.empty(), Clock.systemUTC());
    try (WebhookServer webhook = WebhookServer.start(webhookClient, env)) {
      operator.start();
      String first = awaitStatus(admin, ns, s -> s.configHash() != null).configHash();
      admin.apps().deployments().inNamespace(ns).resource(StandInControllers.deployment(ns, "checkout",
          Map.of(InjectionKeys.INJECT, "true"))).create();
      // Once the webhook's informer has the resource (probed with dry runs), the first rollout.
      Pod probe = new PodBuilder().withNewMetadata().withName("probe").addToAnnotations(InjectionKeys.INJECT, "true")
          .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
          .build();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> hashes(List.of(admin.pods().inNamespace(ns).resource(probe).dryRun().create())),
              List.of(first)::equals);
      assertThat(hashes(StandInControllers.rollOut(admin, ns, "checkout", 2))).containsExactly(first, first);
      awaitStatus(admin, ns, s -> s.injectedPods().total() == 2 && s.injectedPods().upToDate() == 2);

      // The webhook's cache stops here, as if its watch lagged: it still has the first configuration.
      webhook.informer().stop();
      admin.resources(StiggSidecar.class).inNamespace(ns).withName("default")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"logLevel\":\"debug\"}}");
      String second = awaitStatus(admin, ns, s -> !first.equals(s.configHash()) && s.lastRolloutTime() != null)
          .configHash();
      assertThat(admin.apps().deployments().inNamespace(ns).withName("checkout").get().getSpec().getTemplate()
          .getMetadata().getAnnotations()).containsEntry(InjectionKeys.RESTARTED_FOR, second);

      // At once, the restart's new pods: they carry the new configuration, and the status settles.
      List<Pod> restarted = StandInControllers.rollOut(admin, ns, "checkout", 2);
      assertThat(hashes(restarted)).containsExactly(second, second);
      StiggSidecarStatus settled = awaitStatus(admin, ns, s -> s.injectedPods().upToDate() == 2);
      assertThat(settled.injectedPods().outdated()).isZero();
      assertThat(settled.injectedPods().total()).isEqualTo(2);
    } finally {
      operator.stop();
      admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(Installation.WEBHOOK).delete();
      admin.resources(StiggSidecar.class).inNamespace(ns).delete();
    }
    assertThat(webhookRejections.forbidden()).as("webhook requests the shipped RBAC forbade").isEmpty();
    assertThat(operatorRejections.forbidden()).as("operator requests the shipped RBAC forbade").isEmpty();
    assertThat(operatorRejections.conflicts()).as("operator writes that met a conflict").isEmpty();
  }

  private static List<String> hashes(List<Pod> pods) {
    return pods.stream().map(pod -> pod.getMetadata().getAnnotations() == null ? "none"
        : pod.getMetadata().getAnnotations().getOrDefault(InjectionKeys.CONFIG_HASH, "none")).toList();
  }

  private static StiggSidecarStatus awaitStatus(KubernetesClient admin, String ns, Predicate<StiggSidecarStatus> until) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> admin.resources(StiggSidecar.class).inNamespace(ns).withName("default").get().getStatus(),
            status -> status != null && until.test(status));
  }
}
