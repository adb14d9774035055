package dev.stiggsidecar.benchmarks.faults;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Channel;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import io.stigg.sidecar.proto.v1.ReportUsageResponse;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Checks and usage reports at a steady rate, open loop (a slow answer does not slow the load, as
 * with real traffic), over a set of customers and the three check types; every call has a 5 s
 * deadline, so a check that hangs counts as failed.
 */
final class SteadyLoad implements AutoCloseable {

  static final long DEADLINE_SECONDS = 5;
  private static final long TICK_MILLIS = 10;

  private final SidecarServiceGrpc.SidecarServiceFutureStub stub;
  private final List<String> customers;
  private final int checksPerTick;
  private final int ticksPerReport;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "steady-load");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong ticks = new AtomicLong();
  private final LongAdder inFlight = new LongAdder();
  final LongAdder checks = new LongAdder();
  final LongAdder checkErrors = new LongAdder();
  final LongAdder fallbacks = new LongAdder();
  final LongAdder usageAcknowledged = new LongAdder();
  final LongAdder usageRefused = new LongAdder();
  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> errorCodes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param checksPerSecond a multiple of 100
   * @param reportsPerSecond a divisor of 100
   */
  SteadyLoad(Channel channel, List<String> customers, int checksPerSecond, int reportsPerSecond) {
    this.stub = SidecarServiceGrpc.newFutureStub(channel);
    this.customers = List.copyOf(customers);
    this.checksPerTick = checksPerSecond / 100;
    this.ticksPerReport = 100 / reportsPerSecond;
  }

  void start() {
    ticker.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    for (int i = 0; i < checksPerTick; i++) {
      long n = sequence.getAndIncrement();
      String customer = customers.get((int) (n % customers.size()));
      switch ((int) (n % 3)) {
        case 0 -> call(stub().getBooleanEntitlement(GetBooleanEntitlementRequest.newBuilder().setCustomerId(customer)
            .setFeatureId(FaultMatrix.BOOLEAN_FEATURE).build()), response -> response.getIsFallback());
        case 1 -> call(stub().getNumericEntitlement(GetNumericEntitlementRequest.newBuilder().setCustomerId(customer)
            .setFeatureId(FaultMatrix.NUMERIC_FEATURE).build()), response -> response.getIsFallback());
        default -> call(stub().getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder().setCustomerId(customer)
            .setFeatureId(FaultMatrix.METERED_FEATURE)
            .setOptions(MeteredEntitlementOptions.newBuilder().setRequestedUsage(1)).build()),
            response -> response.getIsFallback());
      }
    }
    long tick = ticks.getAndIncrement();
    if (tick % ticksPerReport == 0) {
      String customer = customers.get((int) (tick / ticksPerReport % customers.size()));
      inFlight.increment();
      Futures.addCallback(stub().reportUsage(ReportUsageRequest.newBuilder().setCustomerId(customer)
          .setFeatureId(FaultMatrix.METERED_FEATURE).setValue(1).build()), new FutureCallback<>() {
            @Override
            public void onSuccess(ReportUsageResponse result) {
              usageAcknowledged.increment();
              inFlight.decrement();
            }

            @Override
            public void onFailure(Throwable error) {
              usageRefused.increment();
              inFlight.decrement();
            }
          }, MoreExecutors.directExecutor());
    }
  }

  private SidecarServiceGrpc.SidecarServiceFutureStub stub() {
    return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private <T> void call(ListenableFuture<T> answer, Function<T, Boolean> isFallback) {
    inFlight.increment();
    Futures.addCallback(answer, new FutureCallback<>() {
      @Override
      public void onSuccess(T response) {
        checks.increment();
        if (isFallback.apply(response)) {
          fallbacks.increment();
        }
        inFlight.decrement();
      }

      @Override
      public void onFailure(Throwable error) {
        checks.increment();
        checkErrors.increment();
        errorCodes.computeIfAbsent(io.grpc.Status.fromThrowable(error).getCode().name(), code -> new LongAdder())
            .increment();
        inFlight.decrement();
      }
    }, MoreExecutors.directExecutor());
  }

  /** The error codes seen, for the report of a failed scenario. */
  String errorCodes() {
    return errorCodes.toString();
  }

  /** Stops issuing calls and waits for those in flight to finish. */
  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS + 1);
    while (inFlight.sum() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
