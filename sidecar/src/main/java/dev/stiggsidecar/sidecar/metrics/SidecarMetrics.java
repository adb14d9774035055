package dev.stiggsidecar.sidecar.metrics;

import dev.stiggsidecar.stigg.realtime.RealtimeMetrics;
import dev.stiggsidecar.stigg.upstream.UpstreamMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The sidecar's metrics, exposed on {@code /metrics} in Prometheus format. Counter names match
 * Stigg's sidecar ({@code sidecar_cache_hits_total}, ...) so existing dashboards and alerts keep
 * working; the rest are additions. Counters are created once, so the hot path only increments.
 */
public final class SidecarMetrics implements RealtimeMetrics, UpstreamMetrics, AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** The suppliers of function counters, held here because the registry holds them weakly. */
  private final java.util.List<Supplier<Number>> countedTotals = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Counter cacheHits = counter("sidecar.cache.hits", "Checks answered from the cache");
  private final Counter cacheMisses = counter("sidecar.cache.misses", "Checks that had to fetch from Stigg");
  private final Counter networkErrors = counter("sidecar.network.request.errors", "Failed requests to the Stigg API");
  private final Counter invalidApiKey = counter("sidecar.invalid.api.key.errors", "Requests Stigg refused for the API key");
  private final Counter initializationErrors = counter("sidecar.initialization.errors",
      "Failed initialisations (API key check at start)");
  private final Counter redisErrors = counter("sidecar.redis.client.errors", "Redis client errors");
  private final Counter nearCacheHits = counter("sidecar.redis.near.cache.hits",
      "Redis-mode checks answered from the in-process near cache, without a Redis round trip");
  private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();
  private final Map<String, Counter> realtimeEvents = new ConcurrentHashMap<>();
  private final Map<String, Timer> upstreamTimers = new ConcurrentHashMap<>();

  /**
   * The GC metrics once registered (they listen for GC notifications until closed), empty when the
   * sidecar closed first; a scrape waits for the JVM and process metrics. Even constructing the GC
   * metrics reads the memory pools' MBeans.
   */
  private final CompletableFuture<Optional<JvmGcMetrics>> jvmMetricsBound;
  /** Binding and closing exclude each other, so GC metrics bound during a close are closed too. */
  private final Object binding = new Object();
  private boolean closed;

  /**
   * @param background where the JVM and process metrics are registered: they start the platform
   *     MBean server, about 80 ms of a start that gates a pod's readiness, so that work runs beside
   *     the rest of the start instead of before it
   */
  public SidecarMetrics(Executor background) {
    this.jvmMetricsBound = CompletableFuture.supplyAsync(() -> {
      synchronized (binding) {
        if (closed) {
          return Optional.empty();
        }
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return Optional.of(gcMetrics);
      }
    }, background);
  }

  /** With the JVM and process metrics registered on the calling thread (tests, tools). */
  public SidecarMetrics() {
    this(Runnable::run);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    try {
      jvmMetricsBound.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | CancellationException notBound) {
      // the sidecar's own metrics are worth more than waiting: scrape what is registered
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return registry.scrape();
  }

  public void cacheHit() {
    cacheHits.increment();
  }

  /** A hit (counted as one) that the near cache answered. */
  public void nearCacheHit() {
    cacheHits.increment();
    nearCacheHits.increment();
  }

  public void cacheMiss() {
    cacheMisses.increment();
  }

  public void networkError() {
    networkErrors.increment();
  }

  @Override
  public void invalidApiKey() {
    invalidApiKey.increment();
  }

  public void initializationError() {
    initializationErrors.increment();
  }

  public void redisError() {
    redisErrors.increment();
  }

  /** A check answered from a fallback, by why ({@code upstream_error}, {@code offline}, ...). */
  public void fallbackServed(String cause) {
    fallbacks.computeIfAbsent(cause, key -> Counter.builder("sidecar.fallbacks")
        .description("Checks answered from a fallback, by cause").tag("cause", key).register(registry)).increment();
  }

  /** A real-time event applied to the cache, by subscription field. */
  @Override
  public void realtimeEvent(String field) {
    realtimeEvents.computeIfAbsent(field, key -> Counter.builder("sidecar.realtime.events")
        .description("Real-time events received, by type").tag("type", key).register(registry)).increment();
  }

  /** The duration of one Stigg API call, by operation and outcome. */
  public void upstreamCall(String operation, String outcome, Duration duration) {
    upstreamTimers.computeIfAbsent(operation + '|' + outcome, key -> Timer.builder("sidecar.upstream.requests")
        .description("Stigg API calls").tag("operation", operation).tag("outcome", outcome)
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10))
        .register(registry)).record(duration);
  }

  /** Registers a counter whose total is read from {@code total} at scrape time. */
  public void functionCounter(String name, String description, Supplier<Number> total) {
    // Micrometer holds a function counter's state object weakly; a method reference passed in is
    // referenced by nothing else, so the first GC would turn the counter into a constant 0.
    countedTotals.add(total);
    io.micrometer.core.instrument.FunctionCounter.builder(name, total, supplier -> supplier.get().doubleValue())
        .description(description).register(registry);
  }

  /** Registers a gauge read from {@code value} at scrape time. */
  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).strongReference(true)
        .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  @Override
  public void close() {
    synchronized (binding) {
      closed = true;
    }
    // Not bound yet (the start never finished): nothing listens, and a scrape need not wait.
    jvmMetricsBound.cancel(false);
    jvmMetricsBound.thenAccept(gcMetrics -> gcMetrics.ifPresent(JvmGcMetrics::close));
    registry.close();
  }
}
