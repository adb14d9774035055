package dev.stiggsidecar.persistentcache;

import dev.stiggsidecar.stigg.realtime.RealtimeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The service's metrics on {@code /metrics}: events applied and skipped as older (by type), how far
 * behind Stigg's change time the writes land, errors, invalidations after gaps.
 */
final class PersistentCacheMetrics implements RealtimeMetrics, AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<String, Counter> applied = new ConcurrentHashMap<>();
  private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
  private final Map<String, Counter> received = new ConcurrentHashMap<>();
  private final Counter errors = Counter.builder("persistent_cache.errors").description("Failed Redis writes")
      .register(registry);
  private final Counter invalidations = Counter.builder("persistent_cache.invalidations")
      .description("Whole-prefix invalidations after a gap in the stream").register(registry);
  private final Counter invalidApiKey = Counter.builder("persistent_cache.invalid.api.key.errors")
      .description("Stigg refused the API key on the stream").register(registry);
  private final Timer lag = Timer.builder("persistent_cache.event.lag").description("From Stigg's change time to the write")
      .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
          Duration.ofSeconds(5), Duration.ofSeconds(30))
      .register(registry);

  PersistentCacheMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  void applied(String type) {
    applied.computeIfAbsent(type, key -> Counter.builder("persistent_cache.events.applied")
        .description("Events written to Redis").tag("type", key).register(registry)).increment();
  }

  void skipped(String type) {
    skipped.computeIfAbsent(type, key -> Counter.builder("persistent_cache.events.skipped")
        .description("Events not written because Redis held newer data").tag("type", key).register(registry)).increment();
  }

  void error() {
    errors.increment();
  }

  void invalidation() {
    invalidations.increment();
  }

  void lag(Duration behind) {
    if (!behind.isNegative()) {
      lag.record(behind);
    }
  }

  void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  @Override
  public void realtimeEvent(String field) {
    received.computeIfAbsent(field, key -> Counter.builder("persistent_cache.events.received")
        .description("Events received from Stigg").tag("type", key).register(registry)).increment();
  }

  @Override
  public void invalidApiKey() {
    invalidApiKey.increment();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
