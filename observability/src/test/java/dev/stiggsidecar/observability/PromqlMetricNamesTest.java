package dev.stiggsidecar.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlMetricNamesTest {

  @Test
  void keepsMetricNamesAndDropsFunctionsKeywordsLabelsAndDurations() {
    assertThat(PromqlMetricNames.of("histogram_quantile(0.99, sum by (le, method) "
        + "(rate(sidecar_grpc_server_requests_seconds_bucket{namespace=~\"$x\", code!=\"OK\"}[5m]))) > 1"))
        .containsExactly("sidecar_grpc_server_requests_seconds_bucket");
    assertThat(PromqlMetricNames.of("max by (pod) (a_total) == 0 or absent(up{job=~\"w.*\"}) unless on (pod) b"))
        .containsExactly("a_total", "b", "up");
    assertThat(PromqlMetricNames.of("sum(rate(x_total{name=~\"inject(-ns)?\\\\.a\\\\.io\"}[1m])) / 2e3"))
        .containsExactly("x_total");
  }
}
