package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.opshttp.OpsHttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
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
    Operator operator = StiggSidecarOperator.create(client, new OperatorDefaults("s", "p", "r"), registry,
        Optional.empty(), Clock.systemUTC());
    try (OpsHttpServer http = new OpsHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        OperatorMain.endpoints(operator, registry)).start()) {
      assertThat(get(http, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(http, "/readyz").statusCode()).isEqualTo(503);

      operator.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> get(http, "/readyz").statusCode() == 200);
      HttpResponse<String> metrics = get(http, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_");
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
