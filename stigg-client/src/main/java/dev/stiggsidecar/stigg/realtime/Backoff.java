package dev.stiggsidecar.stigg.realtime;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubling from {@code base} up to {@code max}, each scaled by a random factor in
 * [0.5, 1) so that many sidecars cut off together do not reconnect in lockstep.
 */
public final class Backoff {

  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration base, Duration max, DoubleSupplier random) {
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /** The delay before reconnect attempt {@code attempt} (0 for the first after a loss). */
  public Duration delay(int attempt) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis((long) (ceiling * (0.5 + 0.5 * random.getAsDouble())));
  }
}
