package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.operator.reconciler.StatusMetrics;
import dev.stiggsidecar.opshttp.OpsHttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Probes and metrics of the running operator, as its ServiceAccount on a real API server. */
@ExtendWith(ApiServerExtension.class)
class OperatorEndpointsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void healthReadinessAndOperatorMetrics(ApiServer server) throws Exception {
    Installation.render().applyFoundations(server);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = server.clientAs(Installation.NAMESPACE, Installation.OPERATOR);
    StatusMetrics statusMetrics = new StatusMetrics(registry);
    Operator operator = StiggSidecarOperator.create(client, new OperatorDefaults("s", "p", "r"), registry,
        statusMetrics, Optional.empty(), Clock.systemUTC());
    try (OpsHttpServer http = new OpsHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        OperatorMain.endpoints(operator, registry, statusMetrics)).start()) {
      assertThat(get(http, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(http, "/readyz").statusCode()).isEqualTo(503);

      operator.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> get(http, "/readyz").statusCode() == 200);
      HttpResponse<String> metrics = get(http, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_");

      // The status as gauges: a row per StiggSidecar while it exists (its API key Secret is
      // missing, so it is not ready), gone once it is deleted.
      String ns = server.createNamespace("metrics");
      StiggSidecar resource = server.admin().resource(Serialization.unmarshal("""
          apiVersion: sidecar.stigg.io/v1alpha1
          kind: StiggSidecar
          metadata: {name: observed, namespace: %s}
          spec: {apiKeySecretRef: {name: missing, key: SERVER_API_KEY}}
          """.formatted(ns), StiggSidecar.class)).create();
      String row = "{namespace=\"" + ns + "\",stiggsidecar=\"observed\"}";
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(http, "/metrics").body())
          .contains("stigg_sidecar_ready" + row + " 0.0", "stigg_sidecar_injected_pods" + row + " 0.0",
              "stigg_sidecar_outdated_pods" + row + " 0.0"));
      server.admin().resource(resource).delete();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(http, "/metrics").body())
          .doesNotContain("stigg_sidecar_ready" + row));
    } finally {
      operator.stop();
      client.close();
    }
  }

  private static HttpResponse<String> get(OpsHttpServer http, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
