package dev.stiggsidecar.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.operator.StiggSidecarOperator;
import dev.stiggsidecar.operator.model.OperatorDefaults;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.FileInputStream;
import java.io.InputStream;
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

/** Probes and metrics of the running operator, against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class OperatorHttpServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  KubernetesClient client;

  @Test
  void healthReadinessAndOperatorMetrics() throws Exception {
    try (InputStream crd = new FileInputStream(System.getProperty("checked.in.crd"))) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = StiggSidecarOperator.create(client, new OperatorDefaults("s", "p", "r"), registry,
        Optional.empty(), Clock.systemUTC());
    try (OperatorHttpServer http = new OperatorHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(), registry)) {
      assertThat(get(http, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(http, "/readyz").statusCode()).isEqualTo(503);

      operator.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> get(http, "/readyz").statusCode() == 200);
      HttpResponse<String> metrics = get(http, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_");
    } finally {
      operator.stop();
    }
  }

  private static HttpResponse<String> get(OperatorHttpServer http, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
