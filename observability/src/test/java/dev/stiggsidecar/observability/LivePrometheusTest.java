package dev.stiggsidecar.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.emulator.faults.Faults;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.JarProcess;
import dev.stiggsidecar.kubetest.Running;
import dev.stiggsidecar.kubetest.Tenant;
import dev.stiggsidecar.redistest.RedisProcess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus scrapes every component while it works: a sidecar in Redis mode with the near
 * cache and the persistent cache (both against the emulator and a real Redis), and the operator
 * and the webhook jars on a real API server, whose own metrics it scrapes too (the webhook alert
 * reads the API server's fail-open counter). A little load exercises hits, misses, fallbacks,
 * usage reports, real-time pushes, reconciliations (one failing), injections, a denied pod and a
 * fail-open. Then
 * every dashboard and alert expression is evaluated through Prometheus's HTTP API and must be
 * valid PromQL naming only metrics that were scraped, and Prometheus must load and evaluate the
 * rule file without error.
 */
@ExtendWith(ApiServerExtension.class)
class LivePrometheusTest {

  private static final String API_KEY = "observed-key";

  private final Running running = new Running();

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  @Test
  void everyDashboardAndAlertExpressionWorksOnWhatTheComponentsExport(ApiServer server) throws Exception {
    Path prometheusBinary = PrometheusBinaries.require("prometheus");
    KubernetesClient admin = server.admin();
    Installation installation = Installation.render().applyFoundations(server);
    int webhookPort = JarProcess.freePort();
    installation.applyWebhookConfigurationCalling(server, webhookPort);

    StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests(API_KEY));
    running.add(emulator);
    RedisProcess redis = RedisProcess.start();
    running.add(redis);

    // Two sidecars: one in memory mode (it follows Stigg's real-time stream), one in Redis mode with
    // the near cache (Redis's writers keep it fresh).
    Map<String, Integer> targets = new LinkedHashMap<>();
    Map<String, String> stigg = Map.of("SERVER_API_KEY", API_KEY, "API_URL", emulator.baseUri().toString(),
        "EDGE_API_URL", emulator.baseUri().toString(), "WS_URL", emulator.websocketUri().toString(),
        "UPSTREAM_TIMEOUT_MS", "1000", "ENTITLEMENTS_FALLBACK", "{\"feature-sso\":{\"hasAccess\":false}}");
    int memoryGrpc = JarProcess.freePort();
    targets.put("stigg-sidecar", JarProcess.freePort());
    JarProcess memorySidecar = running.jar("sidecar", "sidecar.jar", List.of(), with(stigg, Map.of(
        "PORT", Integer.toString(memoryGrpc), "HTTP_PORT", targets.get("stigg-sidecar").toString())));
    int redisGrpc = JarProcess.freePort();
    targets.put("stigg-sidecar-redis", JarProcess.freePort());
    JarProcess redisSidecar = running.jar("sidecar-redis", "sidecar.jar", List.of(), with(stigg, Map.of(
        "PORT", Integer.toString(redisGrpc), "HTTP_PORT", targets.get("stigg-sidecar-redis").toString(),
        "REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(redis.port()),
        "REDIS_ENVIRONMENT_PREFIX", "observed", "REDIS_NEAR_CACHE", "true")));
    targets.put("stigg-persistent-cache", JarProcess.freePort());
    running.jar("persistent-cache", "persistent-cache.jar", List.of(), Map.of(
        "SERVER_API_KEY", API_KEY, "API_URL", emulator.baseUri().toString(), "WS_URL", emulator.websocketUri().toString(),
        "REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(redis.port()),
        "REDIS_ENVIRONMENT_PREFIX", "observed", "HTTP_PORT", targets.get("stigg-persistent-cache").toString()));
    targets.put("stigg-sidecar-operator", JarProcess.freePort());
    running.jar("operator", "operator.jar", List.of("run"), Map.of(
        "KUBECONFIG", server.kubeconfigAs(Installation.NAMESPACE, Installation.OPERATOR).toString(),
        "HTTP_PORT", targets.get("stigg-sidecar-operator").toString()));
    targets.put("stigg-sidecar-webhook", JarProcess.freePort());
    JarProcess webhook = running.jar("webhook", "webhook.jar", List.of("serve"), Map.of(
        "KUBECONFIG", server.kubeconfigAs(Installation.NAMESPACE, Installation.WEBHOOK).toString(),
        "POD_NAMESPACE", Installation.NAMESPACE, "PORT", Integer.toString(webhookPort),
        "HTTP_PORT", targets.get("stigg-sidecar-webhook").toString(),
        "TLS_DIRECTORY", Files.createTempDirectory(Path.of("target"), "tls").toAbsolutePath().toString(),
        "TLS_EXTRA_HOSTS", "127.0.0.1"));

    PrometheusProcess prometheus = PrometheusProcess.start(prometheusBinary, targets,
        URI.create(admin.getMasterUrl().toString()), scrapeToken(server), ObservabilityFiles.RULES);
    running.add(prometheus);
    await().atMost(Duration.ofSeconds(60)).until(() -> memorySidecar.output().contains("Sidecar is ready")
        && redisSidecar.output().contains("Sidecar is ready"));

    // The sidecars' work: hits (in Redis mode some from the near cache), misses, usage, a real-time
    // push, and fallbacks and a failed report while Stigg is down.
    for (int port : List.of(memoryGrpc, redisGrpc)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        SidecarServiceGrpc.SidecarServiceBlockingStub stub = SidecarServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
          stub.getBooleanEntitlement(check("acme"));
          stub.getBooleanEntitlement(check("globex"));
        }
        stub.reportUsage(usage());
        new AdminClient(emulator.baseUri()).putEntitlements("globex", null,
            "[{\"feature\":{\"refId\":\"feature-sso\",\"featureType\":\"BOOLEAN\"}}]");
        emulator.setFaults(new Faults(0, 0.0, 500, true, false, false));
        assertThat(stub.getBooleanEntitlement(check("umbrella-" + port)).getIsFallback()).isTrue();
        try {
          stub.reportUsage(usage());
        } catch (StatusRuntimeException expected) {
          // Stigg is down: the report fails, as the usage alert expects to see.
        }
      } finally {
        emulator.setFaults(Faults.NONE);
        channel.shutdownNow();
      }
    }

    // The operator's and the webhook's work: a StiggSidecar reconciled, a pod injected, a pod denied,
    // and, with the webhook stopped, a pod let through without the sidecar (fail open).
    String ns = Tenant.create(server, "observed", "");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> injected(admin.pods().inNamespace(ns).resource(pod("probe", Map.of())).dryRun().create()));
    admin.pods().inNamespace(ns).resource(pod("checkout", Map.of())).create();
    try {
      admin.pods().inNamespace(ns).resource(pod("bad", Map.of(InjectionKeys.CPU_REQUEST, "lots"))).create();
    } catch (KubernetesClientException denied) {
      assertThat(denied.getStatus().getMessage()).contains(InjectionKeys.CPU_REQUEST);
    }
    // A StiggSidecar the operator cannot reconcile: its Redis password Secret lacks the password.
    String broken = server.createNamespace("broken");
    admin.secrets().inNamespace(broken).resource(new SecretBuilder().withNewMetadata().withName("default-redis-auth")
        .endMetadata().addToStringData("not-the-password", "x").build()).create();
    Tenant.configure(server, broken, API_KEY, "cache: {redis: {managed: {}, keyPrefix: broken}}");
    awaitScraped(prometheus, Set.of("operator_sdk_reconciliations_failed_total", "stigg_sidecar_injection_total", "stigg_sidecar_ready",
        "persistent_cache_events_applied_total", "sidecar_fallbacks_total", "sidecar_realtime_events_total"));
    webhook.stop(20);
    assertThat(injected(admin.pods().inNamespace(ns).resource(pod("unguarded", Map.of())).create())).isFalse();

    Map<String, String> expressions = new LinkedHashMap<>();
    ObservabilityFiles.dashboardExpressions().forEach((panel, expr) -> expressions.put("dashboard: " + panel, expr));
    ObservabilityFiles.alertExpressions().forEach((alert, expr) -> expressions.put("alert " + alert, expr));
    Set<String> needed = new TreeSet<>();
    expressions.values().forEach(expr -> needed.addAll(PromqlMetricNames.of(expr)));
    needed.remove("up");
    try {
      awaitScraped(prometheus, needed);
    } catch (AssertionError notYet) {
      // Reported below, expression by expression, with everything else that is wrong.
    }

    List<String> problems = new ArrayList<>();
    Set<String> scraped = prometheus.metricNames();
    expressions.forEach((where, expr) -> {
      Set<String> missing = new TreeSet<>(PromqlMetricNames.of(expr));
      missing.removeAll(scraped);
      if (!missing.isEmpty()) {
        problems.add(where + " names metrics no component exports: " + missing);
      }
      JsonNode answer = prometheus.query(expr);
      if (!"success".equals(answer.path("status").asText())) {
        problems.add(where + " does not evaluate: " + answer.path("error").asText());
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.rules().size() >= ObservabilityFiles.alertExpressions().size());
    for (JsonNode rule : prometheus.rules()) {
      if (!"ok".equals(rule.path("health").asText())) {
        problems.add("alert " + rule.path("name").asText() + " fails in Prometheus: " + rule.path("lastError").asText());
      }
    }
    assertThat(problems).as("expressions checked: %d, metrics scraped: %d", expressions.size(), scraped.size())
        .isEmpty();
    assertThat(expressions).hasSizeGreaterThan(40);
  }

  /**
   * A ServiceAccount allowed {@code GET /metrics} of the API server and nothing else, as clusters
   * grant their Prometheus; its token authenticates the scrape.
   */
  private static String scrapeToken(ApiServer server) {
    KubernetesClient admin = server.admin();
    String ns = server.createNamespace("monitoring");
    admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("prometheus").endMetadata().build()).create();
    admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("metrics-reader-" + ns)
        .endMetadata().addNewRule().withNonResourceURLs("/metrics").withVerbs("get").endRule().build()).create();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("metrics-reader-" + ns).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName("metrics-reader-" + ns).endRoleRef().addNewSubject().withKind("ServiceAccount")
        .withName("prometheus").withNamespace(ns).endSubject().build()).create();
    return server.token(ns, "prometheus");
  }

  private static void awaitScraped(PrometheusProcess prometheus, Set<String> names) {
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> prometheus.metricNames().containsAll(names));
    } catch (ConditionTimeoutException e) {
      Set<String> missing = new TreeSet<>(names);
      missing.removeAll(prometheus.metricNames());
      throw new AssertionError("never scraped: " + missing + "\n" + prometheus.targetsReport(), e);
    }
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(base);
    all.putAll(more);
    return all;
  }

  private static ReportUsageRequest usage() {
    return ReportUsageRequest.newBuilder().setCustomerId("acme").setFeatureId("feature-api-calls").setValue(1).build();
  }

  private static GetBooleanEntitlementRequest check(String customer) {
    return GetBooleanEntitlementRequest.newBuilder().setCustomerId(customer).setFeatureId("feature-sso").build();
  }

  private static Pod pod(String name, Map<String, String> annotations) {
    Map<String, String> all = new LinkedHashMap<>(annotations);
    all.put(InjectionKeys.INJECT, "true");
    return new PodBuilder().withNewMetadata().withName(name).withAnnotations(all).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1").endContainer().endSpec()
        .build();
  }

  private static boolean injected(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && "injected".equals(pod.getMetadata().getAnnotations().get(InjectionKeys.STATUS));
  }
}
