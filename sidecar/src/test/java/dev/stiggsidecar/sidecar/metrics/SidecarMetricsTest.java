package dev.stiggsidecar.sidecar.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * The JVM and process metrics are bound where the runtime says (after the start, off its path),
   * and a sidecar closed before then never binds them.
   */
  @Test
  void theJvmMetricsAreBoundOnlyWhereTheRuntimeDefersThem() {
    List<Runnable> deferred = new ArrayList<>();
    try (SidecarMetrics metrics = new SidecarMetrics(deferred::add)) {
      assertThat(metrics.registry().find("jvm.gc.max.data.size").gauge()).isNull();
      assertThat(metrics.registry().find("jvm.memory.used").gauges()).isEmpty();

      deferred.forEach(Runnable::run);

      assertThat(metrics.scrape()).contains("jvm_gc_max_data_size_bytes", "jvm_memory_used_bytes");
    }

    List<Runnable> neverStarted = new ArrayList<>();
    SidecarMetrics closedEarly = new SidecarMetrics(neverStarted::add);
    closedEarly.close();
    neverStarted.forEach(Runnable::run);
    assertThat(closedEarly.registry().find("jvm.gc.max.data.size").gauge()).isNull();
  }
}
