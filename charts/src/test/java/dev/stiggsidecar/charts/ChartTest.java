package dev.stiggsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart as Helm sees it: {@code helm lint --strict}, the copies it ships of the CRD, dashboard
 * and rules, what each value changes, and clear refusals of values that cannot work.
 */
class ChartTest {

  private static final Path ROOT = Path.of(System.getProperty("repository.root"));
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void lintsCleanWithStrictChecks() {
    LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void shipsExactCopiesOfTheCrdDashboardAndRules() throws IOException {
    assertSameFile(ROOT.resolve("crds/stiggsidecars.sidecar.stigg.io.yaml"),
        RenderedChart.CHART.resolve("crds/stiggsidecars.sidecar.stigg.io.yaml"));
    assertSameFile(ROOT.resolve("observability/stigg-sidecar-dashboard.json"),
        RenderedChart.CHART.resolve("files/stigg-sidecar-dashboard.json"));
    assertSameFile(ROOT.resolve("observability/stigg-sidecar.rules.yaml"),
        RenderedChart.CHART.resolve("files/stigg-sidecar.rules.yaml"));
  }

  @Test
  void defaultsRenderTheOperatorTheWebhookAndTheDashboardButNoPrometheusOperatorObjects() throws IOException {
    RenderedChart chart = RenderedChart.render(Map.of());

    assertThat(chart.objects()).extracting(o -> o.path("kind").asText()).doesNotContain(
        "ServiceMonitor", "PodMonitor", "PrometheusRule", "Certificate", "Issuer");
    assertThat(chart.get("ConfigMap", "stigg-sidecar-images").path("data")).isEqualTo(new ObjectMapper().readTree("""
        {"SIDECAR_IMAGE": "stigg-sidecar:0.1.0-SNAPSHOT", "PERSISTENT_CACHE_IMAGE": "stigg-persistent-cache:0.1.0-SNAPSHOT",
         "REDIS_IMAGE": "redis:7.4-alpine"}"""));
    ObjectNode dashboard = chart.get("ConfigMap", "stigg-sidecar-dashboard");
    assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(new ObjectMapper().readTree(dashboard.at("/data/stigg-sidecar-dashboard.json").asText()))
        .isEqualTo(new ObjectMapper().readTree(ROOT.resolve("observability/stigg-sidecar-dashboard.json").toFile()));
    assertThat(chart.get("MutatingWebhookConfiguration", "stigg-sidecar-webhook").path("webhooks"))
        .allSatisfy(webhook -> {
          assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
          assertThat(webhook.at("/namespaceSelector/matchExpressions/0/values").toString())
              .isEqualTo("[\"kube-system\",\"kube-public\",\"kube-node-lease\",\"stigg-system\"]");
        });
  }

  @Test
  void prometheusOperatorObjectsWhenAskedCarryTheRulesFileAndSelectEverySidecar() throws IOException {
    RenderedChart chart = RenderedChart.render(Map.of("monitoring.serviceMonitor.enabled", "true",
        "monitoring.podMonitor.enabled", "true", "monitoring.prometheusRule.enabled", "true",
        "monitoring.prometheusRule.labels.release", "kube-prometheus"));

    assertThat(chart.get("ServiceMonitor", "stigg-sidecar-operator").at("/spec/selector/matchExpressions/0/values")
        .toString()).isEqualTo("[\"stigg-sidecar-operator\",\"stigg-sidecar-webhook\"]");
    ObjectNode injected = chart.get("PodMonitor", "stigg-sidecars");
    assertThat(injected.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
    assertThat(injected.at("/spec/selector/matchExpressions/0/key").asText()).isEqualTo("sidecar.stigg.io/injected-by");
    assertThat(injected.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("sidecar-http");
    assertThat(chart.get("PodMonitor", "stigg-sidecar-deployments").at("/spec/selector/matchExpressions/0/values")
        .toString()).isEqualTo("[\"standalone-sidecar\",\"persistent-cache\"]");
    ObjectNode rule = chart.get("PrometheusRule", "stigg-sidecar");
    assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus");
    assertThat(rule.at("/spec/groups")).isEqualTo(YAML.readTree(ROOT.resolve("observability/stigg-sidecar.rules.yaml")
        .toFile()).path("groups"));
  }

  @Test
  void certManagerModeMountsItsCertificateAndDropsTheWebhooksOwnTlsPermissions() {
    RenderedChart chart = RenderedChart.render(Map.of("webhook.tls.mode", "cert-manager"));

    ObjectNode certificate = chart.get("Certificate", "stigg-sidecar-webhook");
    assertThat(certificate.at("/spec/dnsNames/0").asText()).isEqualTo("stigg-sidecar-webhook.stigg-system.svc");
    assertThat(certificate.at("/spec/issuerRef/name").asText()).isEqualTo("stigg-sidecar-webhook-selfsigned");
    assertThat(chart.find("Issuer", "stigg-sidecar-webhook-selfsigned")).isPresent();
    assertThat(chart.get("MutatingWebhookConfiguration", "stigg-sidecar-webhook")
        .at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText())
        .isEqualTo("stigg-system/stigg-sidecar-webhook");
    JsonNode container = chart.get("Deployment", "stigg-sidecar-webhook").at("/spec/template/spec/containers/0");
    assertThat(container.path("env").findValuesAsText("name")).contains("TLS_CERT_FILE", "TLS_KEY_FILE");
    assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/etc/stigg-webhook/tls");
    assertThat(chart.find("Role", "stigg-sidecar-webhook-tls")).isEmpty();
    assertThat(chart.get("ClusterRole", "stigg-sidecar-webhook").path("rules").findValuesAsText("resources"))
        .doesNotContain("mutatingwebhookconfigurations");

    RenderedChart withIssuer = RenderedChart.render(Map.of("webhook.tls.mode", "cert-manager",
        "webhook.tls.certManager.issuerRef.name", "corp-ca", "webhook.tls.certManager.issuerRef.kind", "ClusterIssuer"));
    assertThat(withIssuer.find("Issuer", "stigg-sidecar-webhook-selfsigned")).isEmpty();
    assertThat(withIssuer.get("Certificate", "stigg-sidecar-webhook").at("/spec/issuerRef/kind").asText())
        .isEqualTo("ClusterIssuer");
  }

  @Test
  void imagesRegistryAndTagAreSetInOnePlaceForTheOperatorWebhookAndWhatTheyDeploy() {
    RenderedChart chart = RenderedChart.render(Map.of("images.registry", "registry.example.com/platform",
        "images.tag", "1.2.3"));

    for (String deployment : List.of("stigg-sidecar-operator", "stigg-sidecar-webhook")) {
      assertThat(chart.get("Deployment", deployment).at("/spec/template/spec/containers/0/image").asText())
          .isEqualTo("registry.example.com/platform/" + deployment + ":1.2.3");
    }
    JsonNode images = chart.get("ConfigMap", "stigg-sidecar-images").path("data");
    assertThat(images.path("SIDECAR_IMAGE").asText()).isEqualTo("registry.example.com/platform/stigg-sidecar:1.2.3");
    assertThat(images.path("PERSISTENT_CACHE_IMAGE").asText())
        .isEqualTo("registry.example.com/platform/stigg-persistent-cache:1.2.3");
    assertThat(images.path("REDIS_IMAGE").asText()).isEqualTo("redis:7.4-alpine");
  }

  @Test
  void placementResourcesAndSecurityContextReachThePods() {
    RenderedChart chart = RenderedChart.render(Map.of("operator.nodeSelector.pool", "system",
        "webhook.tolerations[0].key", "dedicated", "webhook.tolerations[0].operator", "Exists",
        "operator.resources.limits.memory", "1Gi", "podSecurityContext.fsGroup", "65532",
        "webhook.replicas", "3", "logLevel", "debug", "webhook.failurePolicy", "Fail"));

    JsonNode operator = chart.get("Deployment", "stigg-sidecar-operator").at("/spec/template/spec");
    assertThat(operator.at("/nodeSelector/pool").asText()).isEqualTo("system");
    assertThat(operator.at("/securityContext/fsGroup").asInt()).isEqualTo(65532);
    assertThat(operator.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(operator.at("/containers/0/resources/limits/memory").asText()).isEqualTo("1Gi");
    JsonNode webhook = chart.get("Deployment", "stigg-sidecar-webhook");
    assertThat(webhook.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(webhook.at("/spec/template/spec/tolerations/0/key").asText()).isEqualTo("dedicated");
    assertThat(webhook.at("/spec/template/spec/containers/0/env").toString())
        .contains("{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}");
    assertThat(chart.get("MutatingWebhookConfiguration", "stigg-sidecar-webhook").findValuesAsText("failurePolicy"))
        .containsOnly("Fail");
  }

  @Test
  void valuesThatCannotWorkAreRefusedWithTheFix() {
    assertThatThrownBy(() -> RenderedChart.render(Map.of("webhook.tls.mode", "manual")))
        .hasMessageContaining("webhook.tls.mode is \"manual\": use self-managed or cert-manager");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("webhook.failurePolicy", "Sometimes")))
        .hasMessageContaining("webhook.failurePolicy is \"Sometimes\": use Ignore or Fail");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("operator.replicas", "2",
        "operator.leaderElection.enabled", "false")))
        .hasMessageContaining("operator.replicas > 1 needs operator.leaderElection.enabled");
  }

  private static void assertSameFile(Path source, Path copy) throws IOException {
    assertThat(Files.readString(copy)).as("%s is stale: copy %s over it (charts/stigg-sidecar-operator/README.md)",
        copy, source).isEqualTo(Files.readString(source));
  }
}
