package dev.stiggsidecar.sidecar.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every RPC by method and status code ({@code sidecar_grpc_server_requests_seconds}),
 * with a fixed set of latency buckets suited to microsecond cache hits and second-long misses.
 * Timers are created once per method and code, so a call only records.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {

  private static final Duration[] BUCKETS = {Duration.ofNanos(50_000), Duration.ofNanos(100_000),
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2),
      Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final Map<io.grpc.MethodDescriptor<?, ?>, Timer[]> timers = new ConcurrentHashMap<>();

  public GrpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    long started = System.nanoTime();
    io.grpc.MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        timer(method, status.getCode()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        super.close(status, trailers);
      }
    }, headers);
  }

  private Timer timer(io.grpc.MethodDescriptor<?, ?> method, Status.Code code) {
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
