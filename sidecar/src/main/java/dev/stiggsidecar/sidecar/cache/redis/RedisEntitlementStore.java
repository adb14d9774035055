package dev.stiggsidecar.sidecar.cache.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stiggsidecar.logging.ThrottledLog;
import dev.stiggsidecar.redis.LastWriterWins;
import dev.stiggsidecar.redis.RedisCodec;
import dev.stiggsidecar.redis.RedisGateway;
import dev.stiggsidecar.redis.RedisKeys;
import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.redis.RedisValues;
import dev.stiggsidecar.redis.SharedEventLoop;
import dev.stiggsidecar.redis.TrackedReads;
import dev.stiggsidecar.sidecar.cache.EntitlementCache;
import dev.stiggsidecar.sidecar.cache.EntitlementStore;
import dev.stiggsidecar.sidecar.cache.Lookup;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import dev.stiggsidecar.stigg.upstream.StiggApiClient;
import dev.stiggsidecar.stigg.upstream.UpstreamException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Redis cache mode: entitlements live in a Redis shared with other sidecars and Stigg's Persistent
 * Cache Service, in Stigg's layout ({@link RedisKeys}, {@link RedisCodec}).
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Reads</b> follow Stigg's rule: the entitlement map must be there, and for a resource its
 *       customer's map must be there and not newer than the resource's; each metered feature's usage
 *       key must be there too. Anything missing is a miss.
 *   <li><b>Misses</b> are fetched once across all sidecars: the first to take the refetch lock
 *       fetches from Stigg, writes Redis and publishes on the refetch channel; the others wait for
 *       that message (up to the upstream timeout plus 500 ms), then read Redis, and fetch
 *       themselves only if it still has nothing. Within one process, concurrent loads of a key
 *       share one attempt.
 *   <li><b>Writes</b> are last-writer-wins by message timestamp ({@link LastWriterWins}), under the
 *       write lock other Stigg writers take, with the TTL on every key.
 *   <li><b>While Redis cannot be read</b> (disconnected, or a read failed in the last second), the
 *       sidecar works as in memory mode ({@code whileRedisIsUnusable}, over the same in-process
 *       cache as the near copies): it answers from its copies as long as the staleness bound
 *       allows and fetches from Stigg what it lacks, once per customer rather than once per check.
 *       Redis failures are counted in {@code sidecar_redis_client_errors_total} and never fail a
 *       check.
 *   <li><b>When Stigg fails too</b>, the last copy of the entry (however old) answers before a
 *       fallback does.
 * </ul>
 * Redis mode opens no real-time websocket: freshness comes from the writers of the shared Redis.
 */
public final class RedisEntitlementStore implements EntitlementStore {

  private static final Duration LOCK_LEASE = Duration.ofSeconds(5);
  private static final Duration READ_FAILURE_BACKOFF = Duration.ofSeconds(1);
  private static final String RELEASE_LOCK =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final RedisCodec codec;
  private final EntitlementJson json;
  private final StiggApiClient upstream;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final long ttlSeconds;
  private final Duration waitForOthers;
  private final RefetchSignals signals;
  private final EntitlementCache local;
  private final Optional<NearCache> near;
  private final EntitlementStore whileRedisIsUnusable;
  private final Map<EntityKey, CompletableFuture<Lookup>> loads = new ConcurrentHashMap<>();
  private final DecodedMaps decodedMaps;
  private final ThrottledLog redisFailures;
  private volatile long readFailedAtNanos;
  private volatile boolean readFailed;

  /**
   * @param loop the event loop the gRPC server's first connection is served on: a check that reads
   *     Redis then runs on one thread from request to response
   * @param local the in-process cache: near copies of Redis ({@code REDIS_NEAR_CACHE}) and what
   *     {@code whileRedisIsUnusable} caches
   * @param whileRedisIsUnusable an in-memory store over {@code local}, for while Redis cannot be read
   * @param decodedBytes the heap the last decoding of each map read may hold ({@link DecodedMaps})
   */
  public RedisEntitlementStore(RedisSettings settings, SharedEventLoop loop, ScheduledExecutorService scheduler,
      EntitlementCache local, EntitlementStore whileRedisIsUnusable, EntitlementJson json, StiggApiClient upstream,
      SidecarMetrics metrics, Clock clock, Duration upstreamTimeout, long decodedBytes) {
    this.decodedMaps = new DecodedMaps(decodedBytes);
    this.signals = new RefetchSignals();
    this.local = local;
    this.near = settings.nearCache() ? Optional.of(new NearCache(local)) : Optional.empty();
    this.whileRedisIsUnusable = whileRedisIsUnusable;
    this.redis = new RedisGateway(settings, scheduler, Optional.of(signals::deliver),
        near.map(TrackedReads.class::cast), Optional.of(loop));
    this.keys = new RedisKeys(settings.environmentPrefix());
    this.codec = new RedisCodec(keys, json);
    this.json = json;
    this.upstream = upstream;
    this.metrics = metrics;
    this.clock = clock;
    this.ttlSeconds = settings.keysTtl().toSeconds();
    this.waitForOthers = upstreamTimeout.plusMillis(500);
    this.redisFailures = new ThrottledLog(LoggerFactory.getLogger(RedisEntitlementStore.class), Duration.ofSeconds(30),
        System::nanoTime);
  }

  public RedisGateway gateway() {
    return redis;
  }

  /**
   * From the near cache when it is on and coherent; while Redis cannot be read, from the in-process
   * copies; otherwise every check reads Redis.
   */
  @Override
  public Optional<CustomerEntitlements> cached(EntityKey key) {
    Optional<CustomerEntitlements> entry = near.flatMap(cache -> cache.get(key));
    if (entry.isPresent()) {
      metrics.nearCacheHit();
      return entry;
    }
    return readable() ? Optional.empty() : whileRedisIsUnusable.cached(key);
  }

  /** Connected, and no read failed in the last second (a paused or overloaded Redis answers nothing). */
  private boolean readable() {
    return redis.commands().isPresent()
        && !(readFailed && System.nanoTime() - readFailedAtNanos < READ_FAILURE_BACKOFF.toNanos());
  }

  @Override
  public CompletableFuture<Lookup> load(EntityKey key) {
    CompletableFuture<Lookup> mine = new CompletableFuture<>();
    CompletableFuture<Lookup> existing = loads.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    readOrRefetch(key).whenComplete((lookup, error) -> {
      loads.remove(key, mine);
      if (error != null) {
        mine.complete(Lookup.unavailable("upstream_error"));
      } else {
        mine.complete(lookup);
      }
    });
    return mine;
  }

  @Override
  public CompletableFuture<Lookup> reload(EntityKey key) {
    return fetchAndWrite(key, true).handle((entry, error) ->
        error == null ? Lookup.of(entry) : Lookup.unavailable(cause(error)));
  }

  @Override
  public void replace(EntityKey key, CustomerEntitlements entry) {
    // Redis mode has no real-time feed: the shared Redis is kept fresh by its writers.
  }

  /** After a usage report: Stigg's answer replaces the usage key, if the feature is cached. */
  @Override
  public void updateUsage(EntityKey key, String featureId, double currentUsage, long periodStart, long periodEnd) {
    whileRedisIsUnusable.updateUsage(key, featureId, currentUsage, periodStart, periodEnd);
    Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
    if (commands.isEmpty()) {
      return;
    }
    String usageKey = keys.usage(key, featureId);
    commands.get().exists(usageKey).toCompletableFuture().thenCompose(count -> count == 0
        ? CompletableFuture.completedFuture(0L)
        : LastWriterWins.write(commands.get(), new RedisValues(List.of(new RedisValues.Entry(usageKey,
            RedisCodec.usageValue(currentUsage, periodStart, periodEnd), clock.millis()))), ttlSeconds))
        .whenComplete((written, error) -> {
          if (error != null) {
            redisFailed("updating usage of " + key, error);
          }
        });
  }

  @Override
  public void applyCreditBalance(EntityKey key, CreditBalance balance) {
    // Credit balances reach Redis through its writers in Redis mode.
  }

  @Override
  public void clear() {
    // The shared Redis is not this sidecar's to clear.
  }

  @Override
  public void realtimeConnected(boolean connected) {
    // Redis mode opens no real-time feed.
  }

  private CompletableFuture<Lookup> readOrRefetch(EntityKey key) {
    Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
    if (commands.isEmpty() || !readable()) {
      return whileRedisIsUnusable.load(key);
    }
    long epoch = near.map(NearCache::epoch).orElse(0L);
    return read(commands.get(), key).thenCompose(found -> {
      if (found.isPresent()) {
        near.ifPresent(cache -> cache.put(key, found.get(), readKeys(key, found.get()), epoch));
        metrics.cacheHit();
        return CompletableFuture.completedFuture(Lookup.of(found.get()));
      }
      metrics.cacheMiss();
      return warmCustomer(commands.get(), key).thenCompose(ignored -> refetchAfterMiss(commands.get(), key));
    }).whenComplete((lookup, error) -> readFailed = readFailed && error != null)
        .exceptionallyCompose(error -> {
          readFailedAtNanos = System.nanoTime();
          readFailed = true;
          redisFailed("loading " + key, error, "answering from the in-process cache and Stigg's API for a second");
          return whileRedisIsUnusable.load(key);
        });
  }

  /** The Redis keys an entry was read from: a change to any of them must drop the near copy. */
  private List<String> readKeys(EntityKey key, CustomerEntitlements entry) {
    List<String> read = new ArrayList<>();
    read.add(keys.entitlements(key));
    if (key.isResourceScoped()) {
      read.add(RedisKeys.timestamp(keys.entitlements(key)));
      read.add(RedisKeys.timestamp(keys.entitlements(key.global())));
    }
    entry.all().stream().filter(entitlement -> entitlement.feature().isMetered())
        .forEach(entitlement -> read.add(keys.usage(key, entitlement.feature().id())));
    return read;
  }

  /**
   * A resource's entries are read only alongside its customer's: when the customer's map is
   * missing, it is fetched too (concurrently with nothing else waiting on it), as Stigg's SDK does.
   */
  private CompletableFuture<Void> warmCustomer(RedisAsyncCommands<String, String> commands, EntityKey key) {
    if (!key.isResourceScoped()) {
      return CompletableFuture.completedFuture(null);
    }
    return commands.exists(keys.entitlements(key.global())).toCompletableFuture().thenCompose(count -> count > 0
        ? CompletableFuture.<Void>completedFuture(null)
        : fetchAndWrite(key.global(), false).handle((entry, error) -> null));
  }

  /**
   * Stigg's read rule (see the class notes); empty is a miss. One {@code MGET} reads the map with
   * the usage keys of the metered features it had when last decoded; a second is needed only when
   * the map now has metered features that were not read.
   */
  private CompletableFuture<Optional<CustomerEntitlements>> read(RedisAsyncCommands<String, String> commands,
      EntityKey key) {
    String mapKey = keys.entitlements(key);
    Optional<DecodedMaps.Last> last = decodedMaps.last(mapKey);
    List<String> expectedMetered = last.map(known -> known.decoded().meteredFeatures()).orElse(List.of());
    List<String> wanted = new ArrayList<>(3 + expectedMetered.size());
    wanted.add(mapKey);
    if (key.isResourceScoped()) {
      wanted.add(RedisKeys.timestamp(mapKey));
      wanted.add(RedisKeys.timestamp(keys.entitlements(key.global())));
    }
    int usageAt = wanted.size();
    expectedMetered.forEach(featureId -> wanted.add(keys.usage(key, featureId)));
    return commands.mget(wanted.toArray(new String[0])).toCompletableFuture().thenCompose(values -> {
      String map = value(values, 0);
      if (map == null) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      if (key.isResourceScoped()) {
        String resourceStamp = value(values, 1);
        String customerStamp = value(values, 2);
        if (customerStamp == null || resourceStamp == null || Long.parseLong(customerStamp) > Long.parseLong(resourceStamp)) {
          return CompletableFuture.completedFuture(Optional.empty());
        }
      }
      Optional<DecodedMaps.Last> unchanged = last.filter(known -> known.mapValue().equals(map));
      Optional<RedisCodec.DecodedMap> decoded = unchanged.map(DecodedMaps.Last::decoded).or(() -> codec.decode(map));
      if (decoded.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      Map<String, String> usage = new HashMap<>();
      for (int i = 0; i < expectedMetered.size(); i++) {
        String value = value(values, usageAt + i);
        if (value != null) {
          usage.put(expectedMetered.get(i), value);
        }
      }
      List<String> unread = decoded.get().meteredFeatures().stream()
          .filter(featureId -> !expectedMetered.contains(featureId)).toList();
      if (unread.isEmpty()) {
        return CompletableFuture.completedFuture(withUsage(mapKey, map, decoded.get(), usage, unchanged));
      }
      String[] usageKeys = unread.stream().map(featureId -> keys.usage(key, featureId)).toArray(String[]::new);
      return commands.mget(usageKeys).toCompletableFuture().thenApply(more -> {
        for (int i = 0; i < unread.size(); i++) {
          String value = value(more, i);
          if (value != null) {
            usage.put(unread.get(i), value);
          }
        }
        return withUsage(mapKey, map, decoded.get(), usage, Optional.empty());
      });
    });
  }

  /** The entry of a decoded map with its usage values: the last one again when nothing changed. */
  private Optional<CustomerEntitlements> withUsage(String mapKey, String map, RedisCodec.DecodedMap decoded,
      Map<String, String> usage, Optional<DecodedMaps.Last> unchanged) {
    List<String> usageValues = decoded.meteredFeatures().stream().map(usage::get).toList();
    long now = System.nanoTime();
    if (unchanged.isPresent() && unchanged.get().usageValues().equals(usageValues)) {
      return Optional.of(unchanged.get().entry().confirmedAt(now));
    }
    Optional<CustomerEntitlements> entry = codec.read(decoded, usage, now);
    entry.ifPresent(decodedEntry -> decodedMaps.remember(mapKey,
        new DecodedMaps.Last(map, decoded, usageValues, decodedEntry)));
    return entry;
  }

  /**
   * One fetch across all sidecars: take the refetch lock, or wait for its holder's message. When no
   * message could be awaited (the pub/sub connection is down, or Redis refuses the subscription),
   * this sidecar fetches and writes Redis itself, as if it held the lock: coordination is lost,
   * reads and writes of Redis are not.
   */
  private CompletableFuture<Lookup> refetchAfterMiss(RedisAsyncCommands<String, String> commands, EntityKey key) {
    String channel = keys.refetchChannel(key);
    CompletableFuture<String> done = signals.await(channel);
    return subscribe(channel)
        .thenCompose(subscribed -> subscribed ? lockOrWait(commands, key, channel, done) : fetchAndWriteLookup(key))
        .whenComplete((lookup, error) -> {
          signals.forget(channel, done);
          redis.pubSub().ifPresent(connection -> connection.async().unsubscribe(channel));
        });
  }

  private CompletableFuture<Lookup> lockOrWait(RedisAsyncCommands<String, String> commands, EntityKey key,
      String channel, CompletableFuture<String> done) {
    String lock = keys.refetchLock(key);
    String token = UUID.randomUUID().toString().replace("-", "");
    return commands.set(lock, token, SetArgs.Builder.nx().px(LOCK_LEASE.toMillis())).toCompletableFuture()
        .thenCompose(acquired -> {
          if ("OK".equals(acquired)) {
            return fetchAndWrite(key, false).handle((entry, error) -> {
              commands.publish(channel, error == null ? "{}" : "{\"error\":\"fetch failed\"}");
              commands.eval(RELEASE_LOCK, io.lettuce.core.ScriptOutputType.INTEGER, new String[] {lock}, token);
              return error == null ? Lookup.of(entry) : lastKnown(key, error);
            });
          }
          return done.completeOnTimeout("timeout", waitForOthers.toMillis(), TimeUnit.MILLISECONDS)
              .thenCompose(message -> read(commands, key))
              .thenCompose(found -> found.map(entry -> CompletableFuture.completedFuture(Lookup.of(entry)))
                  .orElseGet(() -> fetchOnly(key)));
        });
  }

  /** @return whether the subscription holds; false (never failed) when it cannot be made */
  private CompletableFuture<Boolean> subscribe(String channel) {
    return redis.pubSub()
        .map(connection -> connection.async().subscribe(channel).toCompletableFuture().handle((ok, error) -> {
          if (error != null) {
            redisFailed("subscribing to " + channel, error,
                "fetching misses without coordinating with other sidecars (does the Redis user lack channel access?)");
          }
          return error == null;
        }))
        .orElseGet(() -> CompletableFuture.completedFuture(false));
  }

  private CompletableFuture<Lookup> fetchAndWriteLookup(EntityKey key) {
    return fetchAndWrite(key, false).handle((entry, error) -> error == null ? Lookup.of(entry) : lastKnown(key, error));
  }

  /** Keeps what was fetched from Stigg in-process, for when Redis or Stigg fail. */
  private void remember(EntityKey key, CustomerEntitlements entry) {
    near.ifPresentOrElse(cache -> cache.remember(key, entry), () -> local.put(key, entry));
  }

  /** When Stigg fails: the last copy of the entry, however old, rather than a fallback. */
  private Lookup lastKnown(EntityKey key, Throwable error) {
    return local.get(key).map(Lookup::of).orElseGet(() -> Lookup.unavailable(cause(error)));
  }

  /** Fetches from Stigg and writes Redis (last writer wins); answers the fetched entry either way. */
  private CompletableFuture<CustomerEntitlements> fetchAndWrite(EntityKey key, boolean viaGraphql) {
    CompletableFuture<JsonNode> fetched = upstream.fetchFragments(key, viaGraphql);
    return fetched.thenCompose(fragments -> {
      CustomerEntitlements entry = json.entitlements(fragments, System.nanoTime());
      remember(key, entry);
      Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
      if (commands.isEmpty()) {
        return CompletableFuture.completedFuture(entry);
      }
      RedisValues values = codec.values(key, fragments, clock.millis());
      return writeUnderLock(commands.get(), key, values).handle((written, error) -> {
        if (error != null) {
          redisFailed("writing " + key, error);
        }
        return entry;
      });
    });
  }

  /** Takes the write lock other Stigg writers use (best effort: the write is atomic anyway). */
  private CompletableFuture<Long> writeUnderLock(RedisAsyncCommands<String, String> commands, EntityKey key,
      RedisValues values) {
    String lock = keys.writeLock(key);
    String token = UUID.randomUUID().toString().replace("-", "");
    return commands.set(lock, token, SetArgs.Builder.nx().px(LOCK_LEASE.toMillis())).toCompletableFuture()
        .thenCompose(acquired -> LastWriterWins.write(commands, values, ttlSeconds).whenComplete((written, error) -> {
          if ("OK".equals(acquired)) {
            commands.eval(RELEASE_LOCK, io.lettuce.core.ScriptOutputType.INTEGER, new String[] {lock}, token);
          }
        }));
  }

  /** Straight from Stigg, without Redis (Redis is down, or had nothing after waiting). */
  private CompletableFuture<Lookup> fetchOnly(EntityKey key) {
    return upstream.fetchEntitlements(key, false).handle((entry, error) -> {
      if (error != null) {
        return lastKnown(key, error);
      }
      remember(key, entry);
      return Lookup.of(entry);
    });
  }

  private void redisFailed(String what, Throwable error) {
    redisFailed(what, error, "answering from Stigg's API");
  }

  private void redisFailed(String what, Throwable error, String consequence) {
    metrics.redisError();
    String cause = isReadOnly(error) ? "Redis is read-only (is REDIS_HOST a replica?)" : rootMessage(error);
    redisFailures.warn("Redis failed " + what + ": " + cause + "; " + consequence);
  }

  private static boolean isReadOnly(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof io.lettuce.core.RedisReadOnlyException) {
        return true;
      }
    }
    return false;
  }

  private static String value(List<KeyValue<String, String>> values, int index) {
    return index < values.size() && values.get(index).hasValue() ? values.get(index).getValue() : null;
  }

  private static String cause(Throwable error) {
    return UpstreamException.of(error).kind() == UpstreamException.Kind.INVALID_API_KEY
        ? "invalid_api_key" : "upstream_error";
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
