package dev.stiggsidecar.benchmarks;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load generator: keeps exactly {@code inFlight} calls outstanding, issuing the next
 * one from each completion, and records latency (HdrHistogram) only inside the measurement window.
 * Closed loop means throughput and latency are measured together at a fixed concurrency, which is
 * how an application's request threads load a sidecar.
 */
final class ClosedLoop {

  /** One asynchronous call: must run exactly one of the callbacks when it completes. */
  interface Call {
    void invoke(Runnable done, Consumer<Throwable> failed);
  }

  /** What one run measured. */
  record Result(double throughput, Histogram latencyNanos, long errors, double serverCpuMicrosPerCall,
      double serverKernelMicrosPerCall, double serverRunsPerCall, double serverJitMillis) {
    double percentileMicros(double percentile) {
      return latencyNanos.getValueAtPercentile(percentile) / 1_000.0;
    }
  }

  private ClosedLoop() {}

  /**
   * @param server the processes answering the calls, whose CPU time and thread wake-ups per
   *     completed call are reported ({@code NaN} when the kernel does not expose them)
   */
  static Result run(Call call, int inFlight, Duration warmup, Duration measure, ProcessCpu server)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    LongAdder completed = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicInteger outstanding = new AtomicInteger();
    State state = new State();
    for (int i = 0; i < inFlight; i++) {
      issue(call, state, recorder, completed, errors, outstanding);
    }
    Thread.sleep(warmup.toMillis());
    recorder.reset();
    completed.reset();
    errors.reset();
    Optional<ProcessCpu.Sample> before = server.sample();
    state.measuring = true;
    long started = System.nanoTime();
    Thread.sleep(measure.toMillis());
    state.measuring = false;
    long elapsed = System.nanoTime() - started;
    Optional<ProcessCpu.Sample> after = server.sample();
    Histogram histogram = recorder.getIntervalHistogram();
    double throughput = completed.sum() / (elapsed / 1e9);
    long failures = errors.sum();
    state.running = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long calls = completed.sum();
    boolean measured = before.isPresent() && after.isPresent() && calls > 0;
    double cpuPerCall = measured ? (after.get().cpuNanos() - before.get().cpuNanos()) / 1_000.0 / calls : Double.NaN;
    double kernelPerCall = measured ? cpuPerCall * after.get().kernelShareSince(before.get()) : Double.NaN;
    double runsPerCall = measured ? (after.get().runs() - before.get().runs()) / (double) calls : Double.NaN;
    double jitMillis = before.isPresent() && after.isPresent()
        ? (after.get().jitNanos() - before.get().jitNanos()) / 1e6 : Double.NaN;
    return new Result(throughput, histogram, failures, cpuPerCall, kernelPerCall, runsPerCall, jitMillis);
  }

  private static void issue(Call call, State state, Recorder recorder, LongAdder completed, LongAdder errors,
      AtomicInteger outstanding) {
    outstanding.incrementAndGet();
    long started = System.nanoTime();
    call.invoke(() -> {
      outstanding.decrementAndGet();
      if (state.measuring) {
        recorder.recordValue(System.nanoTime() - started);
        completed.increment();
      }
      if (state.running) {
        issue(call, state, recorder, completed, errors, outstanding);
      }
    }, error -> {
      outstanding.decrementAndGet();
      if (state.measuring) {
        errors.increment();
      }
      if (state.running) {
        issue(call, state, recorder, completed, errors, outstanding);
      }
    });
  }

  private static final class State {
    volatile boolean running = true;
    volatile boolean measuring;
  }

  /** A gRPC response observer that reports only how the call ended. */
  static <T> StreamObserver<T> observer(Runnable done, Consumer<Throwable> failed) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        // the latency is taken at completion
      }

      @Override
      public void onError(Throwable error) {
        failed.accept(error);
      }

      @Override
      public void onCompleted() {
        done.run();
      }
    };
  }
}
