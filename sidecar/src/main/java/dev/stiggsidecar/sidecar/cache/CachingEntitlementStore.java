package dev.stiggsidecar.sidecar.cache;

import dev.stiggsidecar.logging.ThrottledLog;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.UsageWindow;
import dev.stiggsidecar.stigg.upstream.EntitlementFetcher;
import dev.stiggsidecar.stigg.upstream.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online store: a cache in front of Stigg's API.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Freshness.</b> While real-time updates flow, cached entries are kept current by pushes
 *       and never expire (Stigg's model). Without them (websocket off or down), an entry older than
 *       the staleness bound is refreshed in the background on its next check while the check is
 *       answered from it; a check never waits for a refresh of something it already has. An
 *       entitlement past its {@code validUntil} is never answered from the cache.
 *   <li><b>Reconnecting.</b> Entries fetched before the stream (re)connected may have missed
 *       pushes. They keep answering and are refetched in the background at a bounded rate
 *       ({@link Revalidation}), those that checks ask for first: a reconnect costs Stigg a steady
 *       trickle of calls, not one per cached customer at once.
 *   <li><b>Coalescing.</b> Concurrent loads of one key share one upstream call.
 *   <li><b>Degrading.</b> A failed fetch answers with the last cached entry if there is one, else
 *       with nothing (the caller falls back). After a failure, the key is not fetched again for a
 *       short backoff, so an outage of Stigg costs one failing call per key per second instead of one
 *       per check.
 *   <li><b>Races.</b> A push that replaces an entry, or a cache clear, supersedes fetches in flight:
 *       their (older) results still answer their callers but are not stored.
 * </ul>
 */
public final class CachingEntitlementStore implements EntitlementStore {

  private static final Logger log = LoggerFactory.getLogger(CachingEntitlementStore.class);

  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

  private final EntitlementCache cache;
  private final EntitlementFetcher upstream;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final long maxStalenessNanos;
  private final Map<EntityKey, Load> loads = new ConcurrentHashMap<>();
  private final Map<EntityKey, Load> reloads = new ConcurrentHashMap<>();
  private final Map<EntityKey, Long> failedAtNanos = new ConcurrentHashMap<>();
  private final ThrottledLog failures;
  private final Revalidation revalidation;
  private final int revalidationPerSecond;
  private volatile boolean realtimeConnected;
  private volatile long connectedAtNanos;

  /**
   * @param scheduler runs the revalidation after a (re)connection
   * @param revalidationPerSecond how many entries that revalidation refetches per second at most
   */
  public CachingEntitlementStore(EntitlementCache cache, EntitlementFetcher upstream, SidecarMetrics metrics, Clock clock,
      LongSupplier nanoTime, Duration maxStaleness, ScheduledExecutorService scheduler, int revalidationPerSecond) {
    this.cache = cache;
    this.upstream = upstream;
    this.metrics = metrics;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.failures = new ThrottledLog(log, Duration.ofSeconds(30), nanoTime);
    this.revalidationPerSecond = revalidationPerSecond;
    this.revalidation = new Revalidation(scheduler, revalidationPerSecond, key -> start(key, false, loads).future,
        this::predatesConnection);
    metrics.gauge("sidecar.cache.revalidation.pending",
        "Cached entries still to be refetched after the real-time stream (re)connected", revalidation::pending);
  }

  @Override
  public Optional<CustomerEntitlements> cached(EntityKey key) {
    Optional<CustomerEntitlements> entry = unexpired(key);
    if (entry.isEmpty()) {
      metrics.cacheMiss();
      return entry;
    }
    if (realtimeConnected) {
      if (predatesConnection(entry.get())) {
        revalidation.prioritize(key);
      }
    } else if (nanoTime.getAsLong() - entry.get().fetchedAtNanos() > maxStalenessNanos && !inBackoff(key)) {
      start(key, false, loads);
    }
    metrics.cacheHit();
    return entry;
  }

  @Override
  public CompletableFuture<Lookup> load(EntityKey key) {
    if (key.isResourceScoped() && cache.get(key.global()).isEmpty() && !inBackoff(key.global())) {
      start(key.global(), false, loads);
    }
    if (inBackoff(key)) {
      return CompletableFuture.completedFuture(lastKnown(key, "upstream_error"));
    }
    // A fetch may have stored the entry since the caller's miss: a fetch leaves the in-flight map
    // only after storing, so a caller finds either the entry here or the fetch to join below.
    Optional<CustomerEntitlements> stored = unexpired(key);
    if (stored.isPresent()) {
      return CompletableFuture.completedFuture(Lookup.of(stored.get()));
    }
    return start(key, false, loads).future.handle((entry, error) ->
        error == null ? Lookup.of(entry) : lastKnown(key, cause(error)));
  }

  @Override
  public CompletableFuture<Lookup> reload(EntityKey key) {
    return start(key, true, reloads).future.handle((entry, error) ->
        error == null ? Lookup.of(entry) : Lookup.unavailable(cause(error)));
  }

  @Override
  public void replace(EntityKey key, CustomerEntitlements entry) {
    supersede(loads.remove(key));
    supersede(reloads.remove(key));
    failedAtNanos.remove(key);
    cache.put(key, entry);
  }

  @Override
  public void updateUsage(EntityKey key, String featureId, double currentUsage, long periodStart, long periodEnd) {
    cache.updateIfPresent(key, entry -> entry.withEntitlement(featureId, entitlement -> {
      if (entitlement.feature().type() != FeatureType.NUMBER) {
        return entitlement;
      }
      UsageWindow window = entitlement.usageWindow()
          .map(existing -> existing.withBounds(periodStart, periodEnd))
          .orElseGet(() -> UsageWindow.between(periodStart, periodEnd));
      return entitlement.withUsage(currentUsage, window);
    }).orElse(entry));
  }

  @Override
  public void applyCreditBalance(EntityKey key, CreditBalance balance) {
    cache.updateIfPresent(key, entry -> entry.withCreditBalance(balance));
  }

  @Override
  public void clear() {
    supersedeInFlight();
    cache.invalidateAll();
  }

  /**
   * On a (re)connection, fetches in flight may have read Stigg before a push this sidecar missed:
   * their results answer their callers but are not stored. Cached entries stay and are revalidated.
   */
  @Override
  public void realtimeConnected(boolean connected) {
    if (connected) {
      supersedeInFlight();
      connectedAtNanos = nanoTime.getAsLong();
      realtimeConnected = true;
      Set<EntityKey> cached = cache.keys();
      revalidation.start(cached);
      if (!cached.isEmpty()) {
        log.info("revalidating {} cached entries in the background, at most {} per second; they answer meanwhile",
            cached.size(), revalidationPerSecond);
      }
    } else {
      realtimeConnected = false;
      revalidation.stop();
    }
  }

  /** The cached entry, unless an entitlement of it has passed its {@code validUntil} (a miss). */
  private Optional<CustomerEntitlements> unexpired(EntityKey key) {
    Optional<CustomerEntitlements> entry = cache.get(key);
    return entry.isPresent() && entry.get().anyExpired(clock.millis()) ? Optional.empty() : entry;
  }

  private boolean predatesConnection(EntityKey key) {
    return cache.get(key).map(this::predatesConnection).orElse(false);
  }

  /** Fetched no later than the connection was made: it may have missed a push. */
  private boolean predatesConnection(CustomerEntitlements entry) {
    return entry.fetchedAtNanos() - connectedAtNanos <= 0;
  }

  private void supersedeInFlight() {
    loads.values().forEach(CachingEntitlementStore::supersede);
    reloads.values().forEach(CachingEntitlementStore::supersede);
    loads.clear();
    reloads.clear();
  }

  /** Starts a fetch of {@code key}, or joins the one in flight. */
  private Load start(EntityKey key, boolean viaGraphql, Map<EntityKey, Load> inFlight) {
    Load load = new Load();
    Load existing = inFlight.putIfAbsent(key, load);
    if (existing != null) {
      return existing;
    }
    upstream.fetchEntitlements(key, viaGraphql).whenComplete((entry, error) -> {
      // Stored (or the failure noted) before leaving the in-flight map: a miss that comes in
      // meanwhile joins this fetch, and one that comes after finds the entry (or the back-off),
      // rather than fetching again.
      if (error == null) {
        failedAtNanos.remove(key);
        if (!load.superseded) {
          if (viaGraphql) {
            supersede(loads.remove(key));
          }
          cache.put(key, entry);
        }
        inFlight.remove(key, load);
        load.future.complete(entry);
      } else {
        failedAtNanos.put(key, nanoTime.getAsLong());
        inFlight.remove(key, load);
        failures.warn("cannot fetch entitlements of " + key + " from Stigg: " + UpstreamException.of(error).getMessage()
            + "; answering from cache or fallbacks");
        load.future.completeExceptionally(error);
      }
    });
    return load;
  }

  private boolean inBackoff(EntityKey key) {
    Long failedAt = failedAtNanos.get(key);
    return failedAt != null && nanoTime.getAsLong() - failedAt < FAILURE_BACKOFF.toNanos();
  }

  private Lookup lastKnown(EntityKey key, String cause) {
    return cache.get(key).map(Lookup::of).orElseGet(() -> Lookup.unavailable(cause));
  }

  private static String cause(Throwable error) {
    return UpstreamException.of(error).kind() == UpstreamException.Kind.INVALID_API_KEY
        ? "invalid_api_key" : "upstream_error";
  }

  private static void supersede(Load load) {
    if (load != null) {
      load.superseded = true;
    }
  }

  /** One fetch in flight. */
  private static final class Load {
    final CompletableFuture<CustomerEntitlements> future = new CompletableFuture<>();
    volatile boolean superseded;
  }
}
