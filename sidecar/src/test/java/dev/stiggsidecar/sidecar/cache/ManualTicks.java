package dev.stiggsidecar.sidecar.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose periodic tasks run only when the test calls {@link #tick()}, so that a rate is
 * shown by counting ticks instead of waiting for time to pass.
 */
final class ManualTicks extends ScheduledThreadPoolExecutor {

  private final List<Periodic> periodic = new ArrayList<>();

  ManualTicks() {
    super(1);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    ScheduledFuture<?> handle = super.schedule(() -> { }, 365, TimeUnit.DAYS);
    periodic.add(new Periodic(command, handle));
    return handle;
  }

  /** Runs every periodic task that is still scheduled, once. */
  void tick() {
    periodic.removeIf(task -> task.handle().isCancelled());
    new ArrayList<>(periodic).forEach(task -> task.command().run());
  }

  private record Periodic(Runnable command, ScheduledFuture<?> handle) {}
}
