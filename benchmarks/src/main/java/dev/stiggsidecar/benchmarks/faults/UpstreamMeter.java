package dev.stiggsidecar.benchmarks.faults;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples a running count of upstream fetches every 100 ms, to tell a steady trickle from a storm:
 * the total over a scenario, and the most in any one-second window.
 */
final class UpstreamMeter implements AutoCloseable {

  private record Sample(long atNanos, long count) {}

  private final LongSupplier count;
  private final long start;
  private final Deque<Sample> window = new ArrayDeque<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "upstream-meter");
    thread.setDaemon(true);
    return thread;
  });
  private long peak;

  UpstreamMeter(LongSupplier count) {
    this.count = count;
    this.start = count.getAsLong();
    sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    Sample now = new Sample(System.nanoTime(), count.getAsLong());
    window.addLast(now);
    while (now.atNanos() - window.peekFirst().atNanos() > TimeUnit.SECONDS.toNanos(1)) {
      window.removeFirst();
    }
    peak = Math.max(peak, now.count() - window.peekFirst().count());
  }

  long total() {
    return count.getAsLong() - start;
  }

  synchronized long peakPerSecond() {
    return peak;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    sample();
  }
}
