package dev.stiggsidecar.sidecar.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every sidecar RPC by method and status code
 * ({@code sidecar_grpc_server_requests_seconds}), with a fixed set of latency buckets suited to
 * microsecond cache hits and second-long misses. Timers are created once per method and code, so
 * a call only records: one map read, one array read and the timer's own update.
 */
public final class GrpcCallMetrics {

  private static final Duration[] BUCKETS = {Duration.ofNanos(50_000), Duration.ofNanos(100_000),
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2),
      Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final Map<MethodDescriptor<?, ?>, Timer[]> timers = new ConcurrentHashMap<>();

  public GrpcCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(MethodDescriptor<?, ?> method, Status.Code code, long nanos) {
    timer(method, code).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(MethodDescriptor<?, ?> method, Status.Code code) {
    Timer[] byCode = timers.get(method);
    if (byCode == null) {
      byCode = timers.computeIfAbsent(method, ignored -> new Timer[Status.Code.values().length]);
    }
    Timer timer = byCode[code.value()];
    if (timer == null) {
      // Registering twice from two threads is harmless: the registry answers the same timer.
      timer = Timer.builder("sidecar.grpc.server.requests").description("gRPC requests served")
          .tag("method", String.valueOf(method.getBareMethodName())).tag("code", code.name())
          .serviceLevelObjectives(BUCKETS).register(registry);
      byCode[code.value()] = timer;
    }
    return timer;
  }
}
