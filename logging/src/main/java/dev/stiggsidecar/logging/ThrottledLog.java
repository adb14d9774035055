package dev.stiggsidecar.logging;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a recurring problem at most once per interval, with the count of occurrences it stood for,
 * so that an outage of Stigg produces a readable log instead of one line per check.
 */
public final class ThrottledLog {

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAllowed;
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLog(Logger log, java.time.Duration interval, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
  }

  public void warn(String message) {
    long now = nanoTime.getAsLong();
    long allowed = nextAllowed.get();
    if (now - allowed >= 0 && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
      long more = suppressed.getAndSet(0);
      log.warn(more == 0 ? message : message + " (and " + more + " similar since the last report)");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
