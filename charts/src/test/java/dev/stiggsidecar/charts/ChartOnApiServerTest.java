package dev.stiggsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@code helm install} sends, accepted by a real API server: the chart's CRD applied as Helm
 * applies {@code crds/}, then {@code helm template} of the defaults and of the cert-manager-free
 * variants through a server-side dry run with strict field validation (unknown or misplaced
 * fields, schema and admission errors all fail it).
 */
@ExtendWith(ApiServerExtension.class)
class ChartOnApiServerTest {

  @Test
  void renderedChartIsAcceptedByTheApiServer(ApiServer server) throws IOException {
    ApiServer.KubectlRun namespace = server.kubectl("create", "namespace", RenderedChart.NAMESPACE);
    assertThat(namespace.exitCode()).as(namespace.output()).isZero();
    ApiServer.KubectlRun crd = server.kubectlWithInput(
        Files.readString(RenderedChart.CHART.resolve("crds/stiggsidecars.sidecar.stigg.io.yaml")),
        "apply", "--server-side", "-f", "-");
    assertThat(crd.exitCode()).as(crd.output()).isZero();

    for (Map<String, Object> values : List.<Map<String, Object>>of(Map.of(),
        Map.of("webhook.failurePolicy", "Fail", "webhook.podDisruptionBudget.enabled", "false",
            "operator.leaderElection.enabled", "false", "monitoring.dashboard.enabled", "false"))) {
      ApiServer.KubectlRun dryRun = server.kubectlWithInput(RenderedChart.render(values).yaml(),
          "apply", "--server-side", "--dry-run=server", "--validate=strict", "-f", "-");
      assertThat(dryRun.exitCode()).as("values %s:%n%s", values, dryRun.output()).isZero();
      assertThat(dryRun.output()).contains("deployment.apps/stigg-sidecar-operator serverside-applied (server dry run)",
          "mutatingwebhookconfiguration.admissionregistration.k8s.io/stigg-sidecar-webhook serverside-applied");
    }
  }
}
