package dev.stiggsidecar.webhook.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.JarProcess;
import dev.stiggsidecar.kubetest.Tenant;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook jar's {@code serve} through the API server's own admission chain: the shipped
 * MutatingWebhookConfiguration, pointed at the process by URL, with the caBundle the process sets
 * itself; the process authenticates as the webhook's ServiceAccount with the shipped RBAC. Pods
 * created through the API server are injected and then validated by it, as in a cluster.
 */
@ExtendWith(ApiServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionChainIT {

  private static final Logger log = LoggerFactory.getLogger(AdmissionChainIT.class);

  private ApiServer server;
  private KubernetesClient admin;
  private JarProcess webhook;
  private int httpPort;

  @BeforeAll
  void startTheWebhookBehindTheShippedConfiguration(ApiServer server) {
    this.server = server;
    this.admin = server.admin();
    Installation installation = Installation.render().applyFoundations(server);
    int port = JarProcess.freePort();
    httpPort = JarProcess.freePort();
    installation.applyWebhookConfigurationCalling(server, port);
    webhook = JarProcess.start("webhook", Path.of(System.getProperty("webhook.jar")), List.of("serve"), Map.of(
        "KUBECONFIG", server.kubeconfigAs(Installation.NAMESPACE, Installation.WEBHOOK).toString(),
        "POD_NAMESPACE", Installation.NAMESPACE,
        "PORT", Integer.toString(port),
        "HTTP_PORT", Integer.toString(httpPort),
        "TLS_DIRECTORY", Path.of("target", "webhook-tls-" + UUID.randomUUID()).toAbsolutePath().toString(),
        "TLS_EXTRA_HOSTS", "127.0.0.1",
        "SIDECAR_IMAGE", "stigg-sidecar:test"));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> configuration().getWebhooks().stream()
        .allMatch(hook -> hook.getClientConfig().getCaBundle() != null));
  }

  @AfterAll
  void stop() {
    webhook.close();
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(Installation.WEBHOOK).delete();
    assertThat(webhook.output()).as("the webhook's log").doesNotContainIgnoringCase("forbidden")
        .doesNotContain("could not record", "ERROR");
  }

  @Test
  @Order(1)
  void annotatedPodsAreInjectedAndTheApiServerAcceptsThem() throws Exception {
    String ns = namespaceWithConfig("native", "");
    Pod stored = awaitInjected(ns, pod("checkout", Map.of(InjectionKeys.INJECT, "true",
        InjectionKeys.MEMORY_LIMIT, "768Mi", InjectionKeys.LOG_LEVEL, "debug")));

    Container sidecar = stored.getSpec().getInitContainers().get(0);
    assertThat(sidecar.getName()).isEqualTo(InjectionKeys.CONTAINER_NAME);
    assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
    assertThat(sidecar.getImage()).isEqualTo("stigg-sidecar:test");
    assertThat(sidecar.getResources().getLimits().get("memory").toString()).isEqualTo("768Mi");
    assertThat(sidecar.getStartupProbe()).isNotNull();
    assertThat(sidecar.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(stored.getSpec().getContainers()).singleElement().satisfies(app ->
        assertThat(app.getEnv()).extracting(EnvVar::getName).contains("STIGG_SIDECAR_HOST", "STIGG_SIDECAR_PORT"));
    assertThat(stored.getMetadata().getLabels()).containsEntry(InjectionKeys.INJECTED_BY, "default");
    assertThat(stored.getMetadata().getAnnotations()).containsEntry(InjectionKeys.STATUS, "injected")
        .containsKey(InjectionKeys.CONFIG_HASH);

    assertThat(sidecar.getEnv()).extracting(EnvVar::getName).doesNotContain("JAVA_TOOL_OPTIONS");

    // Classic mode: the sidecar is the last regular container, and still a valid pod; JVM options
    // reach the sidecar container only.
    String classic = namespaceWithConfig("classic",
        "injection: {nativeSidecar: Never}\njvmOptions: -XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20");
    Pod classicPod = awaitInjected(classic, pod("checkout", Map.of(InjectionKeys.INJECT, "true")));
    assertThat(classicPod.getSpec().getContainers()).extracting(Container::getName)
        .containsExactly("app", InjectionKeys.CONTAINER_NAME);
    assertThat(classicPod.getMetadata().getAnnotations()).containsEntry("kubectl.kubernetes.io/default-container", "app");
    assertThat(classicPod.getSpec().getContainers().get(1).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(tuple("JAVA_TOOL_OPTIONS", "-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20"));
    assertThat(classicPod.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
        .doesNotContain("JAVA_TOOL_OPTIONS");
    // Without overrides the sidecar takes the defaults sized from the measured footprint.
    assertThat(classicPod.getSpec().getContainers().get(1).getResources()).satisfies(resources -> {
      assertThat(resources.getRequests()).containsEntry("memory", new Quantity(EffectiveSpec.SIDECAR_MEMORY_REQUEST))
          .containsEntry("cpu", new Quantity("100m"));
      assertThat(resources.getLimits()).containsEntry("memory", new Quantity(EffectiveSpec.SIDECAR_MEMORY_LIMIT));
    });

    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body())
        .containsPattern("stigg_sidecar_injection_total\\{reason=\"injected\",result=\"injected\"} [1-9]");
  }

  @Test
  @Order(2)
  void aMalformedOverrideIsDeniedWithItsReason() {
    String ns = namespaceWithConfig("denied", "");
    awaitInjected(ns, pod("probe", Map.of(InjectionKeys.INJECT, "true")));

    assertThatThrownBy(() -> admin.pods().inNamespace(ns)
        .resource(pod("bad", Map.of(InjectionKeys.INJECT, "true", InjectionKeys.CPU_REQUEST, "lots"))).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
            .contains("admission webhook \"inject.sidecar.stigg.io\" denied the request: sidecar injection:")
            .contains(InjectionKeys.CPU_REQUEST));

    // A request above the limit would fail in the API server's validation, naming the pod's field.
    assertThatThrownBy(() -> admin.pods().inNamespace(ns)
        .resource(pod("greedy", Map.of(InjectionKeys.INJECT, "true", InjectionKeys.MEMORY_REQUEST, "1Gi"))).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
            .contains("denied the request: sidecar injection:")
            .contains(InjectionKeys.MEMORY_REQUEST, InjectionKeys.MEMORY_LIMIT));
  }

  @Test
  @Order(2)
  void aMemoryLimitBelowTheDefaultRequestTakesTheRequestDown() {
    String ns = namespaceWithConfig("small", "");
    Pod stored = awaitInjected(ns,
        pod("small", Map.of(InjectionKeys.INJECT, "true", InjectionKeys.MEMORY_LIMIT, "96Mi")));

    Container sidecar = stored.getSpec().getInitContainers().get(0);
    assertThat(sidecar.getResources().getLimits()).containsEntry("memory", new Quantity("96Mi"));
    assertThat(sidecar.getResources().getRequests()).containsEntry("memory", new Quantity("96Mi"));
  }

  @Test
  @Order(3)
  void reinvocationAfterAnotherWebhookAddsAContainerIsStable() throws Exception {
    String ns = namespaceWithConfig("reinvoked", "");
    awaitInjected(ns, pod("probe", Map.of(InjectionKeys.INJECT, "true")));
    try (ContainerAddingWebhook other = new ContainerAddingWebhook()) {
      admin.resource(other.configuration(ns)).create();
      try {
        Pod stored = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(
            () -> admin.pods().inNamespace(ns).resource(pod("twice-" + UUID.randomUUID().toString().substring(0, 4),
                Map.of(InjectionKeys.INJECT, "true"))).create(),
            pod -> pod.getSpec().getContainers().size() == 2);

        assertThat(stored.getSpec().getInitContainers()).extracting(Container::getName)
            .containsExactly(InjectionKeys.CONTAINER_NAME);
        assertThat(stored.getSpec().getContainers()).extracting(Container::getName)
            .containsExactly("app", ContainerAddingWebhook.CONTAINER);
        // The other webhook ran after ours; only a second call of ours gives its container the address.
        assertThat(stored.getSpec().getContainers().get(1).getEnv()).extracting(EnvVar::getName)
            .containsExactly("STIGG_SIDECAR_HOST", "STIGG_SIDECAR_PORT");
        assertThat(stored.getSpec().getVolumes()).extracting(v -> v.getName()).doesNotHaveDuplicates();
      } finally {
        admin.resource(other.configuration(ns)).delete();
      }
    }
  }

  @Test
  @Order(4)
  void optOutNamespaceOptInAndExcludedNamespaces() {
    String ns = namespaceWithConfig("optout", "");
    awaitInjected(ns, pod("probe", Map.of(InjectionKeys.INJECT, "true")));
    assertThat(isInjected(create(ns, pod("out", Map.of(InjectionKeys.INJECT, "false"))))).isFalse();
    assertThat(isInjected(create(ns, pod("silent", Map.of())))).as("not opted in").isFalse();

    String enabled = namespaceWithConfig("enabled", "");
    label(enabled, "enabled");
    assertThat(isInjected(awaitInjected(enabled, pod("every", Map.of())))).isTrue();
    assertThat(isInjected(create(enabled, pod("out", Map.of(InjectionKeys.INJECT, "false"))))).isFalse();

    String disabled = namespaceWithConfig("disabled", "");
    label(disabled, "disabled");
    assertThat(isInjected(create(disabled, pod("asks", Map.of(InjectionKeys.INJECT, "true"))))).isFalse();

    assertThat(isInjected(create("kube-system", pod("system-" + UUID.randomUUID().toString().substring(0, 4),
        Map.of(InjectionKeys.INJECT, "true"))))).isFalse();
  }

  @Test
  @Order(5)
  void withoutAConfigThePodIsAdmittedWithAnEventExceptOnDryRun() {
    String ns = server.createNamespace("noconfig");
    Pod dry = admin.pods().inNamespace(ns).resource(pod("dry", Map.of(InjectionKeys.INJECT, "true"))).dryRun()
        .create();
    assertThat(isInjected(dry)).isFalse();
    assertThat(admin.pods().inNamespace(ns).withName("dry").get()).isNull();
    assertThat(admin.v1().events().inNamespace(ns).list().getItems()).as("events after a dry run").isEmpty();

    assertThat(isInjected(create(ns, pod("real", Map.of(InjectionKeys.INJECT, "true"))))).isFalse();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(admin.v1().events().inNamespace(ns).list().getItems()).singleElement().satisfies(event -> {
          assertThat(event.getReason()).isEqualTo("SidecarNotInjected");
          assertThat(event.getType()).isEqualTo("Warning");
          assertThat(event.getInvolvedObject().getName()).isEqualTo("real");
          assertThat(event.getMessage()).contains("no StiggSidecar in namespace " + ns);
        }));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void withTheWebhookStoppedPodsAreStillCreatedWithoutTheSidecar() {
    String ns = namespaceWithConfig("down", "");
    awaitInjected(ns, pod("probe", Map.of(InjectionKeys.INJECT, "true")));
    webhook.stop(20);

    long start = System.nanoTime();
    Pod created = create(ns, pod("while-down", Map.of(InjectionKeys.INJECT, "true")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    log.info("with the webhook down, a pod was created in {} ms (failurePolicy Ignore, timeoutSeconds 5)",
        took.toMillis());
    assertThat(isInjected(created)).isFalse();
    assertThat(took).isLessThan(Duration.ofSeconds(5 + 5));
  }

  private String namespaceWithConfig(String prefix, String extraSpec) {
    return Tenant.create(server, prefix, extraSpec);
  }

  private void label(String namespace, String injection) {
    admin.namespaces().withName(namespace).edit(n -> {
      n.getMetadata().getLabels().put(InjectionKeys.NAMESPACE_INJECTION, injection);
      return n;
    });
  }

  /** Creates the pod once the webhook's informer has the namespace's StiggSidecar (probing with dry runs). */
  private Pod awaitInjected(String namespace, Pod pod) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> isInjected(admin.pods().inNamespace(namespace).resource(pod).dryRun().create()));
    return create(namespace, pod);
  }

  private Pod create(String namespace, Pod pod) {
    return admin.pods().inNamespace(namespace).resource(pod).create();
  }

  private static boolean isInjected(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && "injected".equals(pod.getMetadata().getAnnotations().get(InjectionKeys.STATUS));
  }

  private static Pod pod(String name, Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1").endContainer().endSpec()
        .build();
  }

  private MutatingWebhookConfiguration configuration() {
    return admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(Installation.WEBHOOK).get();
  }
}
