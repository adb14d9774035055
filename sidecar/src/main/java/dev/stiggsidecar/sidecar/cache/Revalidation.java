package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Refreshes, in the background and at a bounded rate, cached entries that may have missed real-time
 * updates: those fetched before the stream last (re)connected. Stigg's engine clears its cache on
 * every reconnection instead, which turns a websocket blip into one fetch per cached customer at
 * once; here the entries keep answering while they are refetched a few at a time.
 *
 * <p>Order: keys that checks ask for are refreshed first ({@link #prioritize}), the rest in the
 * order they were queued. Bounds: at most {@code perSecond} refreshes start per second and at most
 * {@link #MAX_IN_FLIGHT} are in flight, so a slow Stigg slows the round instead of piling calls up.
 * A refresh that fails puts its key back at the end of the queue. A key whose entry was replaced
 * meanwhile (by a push or a fetch) is skipped.
 */
final class Revalidation {

  static final int MAX_IN_FLIGHT = 8;
  static final Duration TICK = Duration.ofMillis(100);

  private final ScheduledExecutorService scheduler;
  private final Function<EntityKey, CompletableFuture<?>> refresh;
  private final Predicate<EntityKey> needed;
  private final double perTick;
  private final Deque<EntityKey> urgent = new ArrayDeque<>();
  private final Deque<EntityKey> queued = new ArrayDeque<>();
  private final Set<EntityKey> pending = new HashSet<>();
  private final Set<EntityKey> prioritized = new HashSet<>();
  private double tokens;
  private int inFlight;
  private long round;
  private ScheduledFuture<?> ticking;

  /**
   * @param refresh starts a refetch of a key; the entry it stores must no longer be {@code needed}
   * @param needed whether a key's cached entry still predates the current connection
   */
  Revalidation(ScheduledExecutorService scheduler, int perSecond, Function<EntityKey, CompletableFuture<?>> refresh,
      Predicate<EntityKey> needed) {
    this.scheduler = scheduler;
    this.refresh = refresh;
    this.needed = needed;
    this.perTick = perSecond * (TICK.toMillis() / 1000.0);
  }

  /** A new round over {@code keys}, replacing whatever the previous round had left. */
  synchronized void start(Collection<EntityKey> keys) {
    round++;
    urgent.clear();
    queued.clear();
    pending.clear();
    prioritized.clear();
    for (EntityKey key : keys) {
      if (pending.add(key)) {
        queued.add(key);
      }
    }
    if (!pending.isEmpty() && ticking == null) {
      ticking = scheduler.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The stream is gone again: entries now follow the staleness bound instead. */
  synchronized void stop() {
    start(List.of());
  }

  /** A check asked for {@code key}: refresh it ahead of the others. Cheap when it is not queued. */
  synchronized void prioritize(EntityKey key) {
    if (pending.contains(key) && prioritized.add(key)) {
      urgent.add(key);
    }
  }

  synchronized int pending() {
    return pending.size();
  }

  /** Starts the refreshes this tick allows. */
  synchronized void tick() {
    tokens = Math.min(Math.max(1, perTick), tokens + perTick);
    while (tokens >= 1 && inFlight < MAX_IN_FLIGHT) {
      EntityKey key = urgent.isEmpty() ? queued.poll() : urgent.poll();
      if (key == null) {
        break;
      }
      if (!pending.remove(key)) {
        continue; // already refreshed through the urgent queue, or the round was replaced
      }
      prioritized.remove(key);
      if (!needed.test(key)) {
        continue;
      }
      tokens -= 1;
      inFlight++;
      long startedIn = round;
      refresh.apply(key).whenComplete((ignored, error) -> finished(key, startedIn, error != null));
    }
    if (pending.isEmpty() && inFlight == 0 && ticking != null) {
      ticking.cancel(false);
      ticking = null;
      tokens = 0;
    }
  }

  private synchronized void finished(EntityKey key, long startedIn, boolean failed) {
    inFlight--;
    if (failed && startedIn == round && pending.add(key)) {
      queued.add(key);
    }
    if (ticking == null && !pending.isEmpty()) {
      ticking = scheduler.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
