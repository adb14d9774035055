package dev.stiggsidecar.sidecar.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SidecarMetricsTest {

  /**
   * A function counter registered with a method reference keeps counting after garbage
   * collection: the registry alone holds its supplier weakly (this read 0 in a running sidecar).
   */
  @Test
  void aFunctionCounterSurvivesGarbageCollection() {
    AtomicLong evicted = new AtomicLong();
    try (SidecarMetrics metrics = new SidecarMetrics()) {
      metrics.functionCounter("test.evictions", "evictions", evicted::get);
      evicted.set(42);
      // A full collection (the tests' serial collector) clears weakly held objects before it returns.
      System.gc();

      assertThat(metrics.scrape()).contains("test_evictions_total 42.0");
    }
  }
}
