package dev.stiggsidecar.webhook.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** {@code stigg_sidecar_injection_total{result,reason}} and {@code stigg_sidecar_admission_seconds}. */
public final class InjectionMetrics {

  private final MeterRegistry registry;
  private final Timer latency;

  public InjectionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.latency = Timer.builder("stigg_sidecar_admission").description("Time to answer one AdmissionReview")
        .publishPercentileHistogram().register(registry);
  }

  void count(String result, String reason) {
    Counter.builder("stigg_sidecar_injection").description("Admission decisions by result and reason")
        .tag("result", result).tag("reason", reason).register(registry).increment();
  }

  void time(Duration elapsed) {
    latency.record(elapsed);
  }
}
