package dev.stiggsidecar.persistentcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.redis.LastWriterWins;
import dev.stiggsidecar.redis.RedisCodec;
import dev.stiggsidecar.redis.RedisGateway;
import dev.stiggsidecar.redis.RedisKeys;
import dev.stiggsidecar.redis.RedisValues;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.realtime.RealtimeHandler;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Stigg's real-time events into the shared Redis, in Stigg's layout, last writer wins.
 *
 * <p>Design notes. Each event carries Stigg's change time ({@code entitlementUpdatedAt},
 * {@code usageUpdatedAt}), which becomes the {@code #timestamp}: an older event never overwrites
 * newer data, whichever replica writes it and in whatever order, so several replicas can run at
 * once.
 *
 * <p>Whenever events may have been lost, every entry under the prefix is deleted, so that sidecars
 * refetch on their next check: when the stream connects (a reconnect after a gap, and the first
 * connection of a process too, since nothing followed the stream for it before), and when an event
 * could not be written (Redis unreachable, read-only). The deletion is owed until it has succeeded
 * in full, and retried every second meanwhile; an event lost while it is owed is covered by it. A
 * package published to all customers deletes everything too. Staleness is thus bounded by the time
 * Stigg takes to push a change, plus the length of any gap in the stream or in Redis, and by
 * {@code REDIS_KEYS_TTL_IN_SECS} in any case.
 */
public final class RedisWriter implements RealtimeHandler {

  private static final Logger log = LoggerFactory.getLogger(RedisWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final RedisCodec codec;
  private final PersistentCacheMetrics metrics;
  private final Clock clock;
  private final long ttlSeconds;
  private final AtomicBoolean connectedBefore = new AtomicBoolean();
  /** Reasons to delete everything, counted so that one arriving during a deletion is not lost. */
  private final AtomicLong invalidationsOwed = new AtomicLong();
  private final AtomicBoolean invalidating = new AtomicBoolean();
  private volatile boolean connected;

  RedisWriter(RedisGateway redis, RedisKeys keys, RedisCodec codec, PersistentCacheMetrics metrics, Clock clock,
      Duration ttl) {
    this.redis = redis;
    this.keys = keys;
    this.codec = codec;
    this.metrics = metrics;
    this.clock = clock;
    this.ttlSeconds = ttl.toSeconds();
  }

  boolean streamConnected() {
    return connected;
  }

  @Override
  public void connected() {
    connected = true;
    if (connectedBefore.getAndSet(true)) {
      log.warn("the real-time stream reconnected after a gap: invalidating every entry under {}: so that sidecars "
          + "refetch what may have changed meanwhile", keys.prefix());
    } else {
      log.info("following Stigg's real-time stream; invalidating every entry under {}: written before this "
          + "process followed the stream, they may have missed changes", keys.prefix());
    }
    oweInvalidation();
  }

  @Override
  public void disconnected() {
    connected = false;
  }

  @Override
  public void entitlementsUpdated(JsonNode payload) {
    EntityKey key = key(payload);
    JsonNode entitlements = payload.path("entitlements");
    RedisValues values = codec.values(key, entitlements, clock.millis());
    long changed = values.entries().get(0).timestamp();
    write("entitlementsUpdated", values, changed);
  }

  @Override
  public void usageUpdated(JsonNode payload) {
    JsonNode usage = payload.path("usage");
    if (!usage.path("featureId").isTextual() || !usage.path("currentUsage").isNumber()) {
      return;
    }
    long changed = EntitlementJson.date(payload.path("entitlement").path("usageUpdatedAt"));
    long timestamp = changed == Entitlement.NO_DATE ? clock.millis() : changed;
    String usageKey = keys.usage(key(usage), usage.get("featureId").asText());
    write("usageUpdated", new RedisValues(List.of(new RedisValues.Entry(usageKey, RedisCodec.usageValue(
        usage.get("currentUsage").asDouble(), EntitlementJson.date(usage.path("usagePeriodStart")),
        EntitlementJson.periodEnd(usage)), timestamp))), timestamp);
  }

  @Override
  public void packagePublished(JsonNode payload) {
    if ("ALL_CUSTOMERS".equals(payload.path("migrationType").asText())) {
      log.info("a package was published to all customers: invalidating every entry under {}:", keys.prefix());
      oweInvalidation();
    }
  }

  /**
   * Denies (or allows again) the entitlements priced in the currency, in place in the stored map,
   * as Stigg's SDK does for its own cache.
   */
  @Override
  public void creditBalanceUpdated(JsonNode payload) {
    String currencyId = payload.path("currency").path("currencyId").asText(payload.path("currencyId").asText(""));
    if (currencyId.isEmpty() || !payload.path("currentBalance").isNumber()) {
      return;
    }
    boolean exceeded = payload.get("currentBalance").asDouble() <= 0;
    String mapKey = keys.entitlements(key(payload));
    redis.commands().ifPresent(commands -> commands.get(mapKey).toCompletableFuture().thenCompose(value -> {
      if (value == null) {
        return CompletableFuture.completedFuture(0L);
      }
      ObjectNode map;
      try {
        map = (ObjectNode) JSON.readTree(value);
      } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
        return CompletableFuture.<Long>failedFuture(e);
      }
      map.forEach(entry -> {
        ObjectNode calculated = (ObjectNode) entry.path("calculatedEntitlement");
        if (!currencyId.equals(calculated.path("creditRate").path("currencyId").asText(null))) {
          return;
        }
        if (exceeded && !calculated.has("accessDeniedReason")) {
          calculated.put("accessDeniedReason", "InsufficientCredits");
        } else if (!exceeded && "InsufficientCredits".equals(calculated.path("accessDeniedReason").asText())) {
          calculated.remove("accessDeniedReason");
        }
      });
      return LastWriterWins.write(commands, new RedisValues(List.of(new RedisValues.Entry(mapKey, map.toString(),
          clock.millis()))), ttlSeconds);
    }).whenComplete((written, error) -> outcome("creditBalanceUpdated", written, error)));
  }

  private void write(String type, RedisValues values, long changedAt) {
    if (changedAt > 0) {
      metrics.lag(Duration.ofMillis(clock.millis() - changedAt));
    }
    RedisAsyncCommands<String, String> commands = redis.commands().orElse(null);
    if (commands == null) {
      metrics.error();
      log.warn("Redis is unreachable: a {} event was not written; every entry under {}: is invalidated once Redis "
          + "takes writes again", type, keys.prefix());
      oweInvalidation();
      return;
    }
    LastWriterWins.write(commands, values, ttlSeconds)
        .whenComplete((written, error) -> outcome(type, written == null ? null : written < values.entries().size()
            ? -1L : written, error));
  }

  private void outcome(String type, Long written, Throwable error) {
    if (error != null) {
      metrics.error();
      log.warn("writing a {} event to Redis failed: {}; every entry under {}: is invalidated once Redis takes "
          + "writes again", type, error.toString(), keys.prefix());
      oweInvalidation();
    } else if (written != null && written < 0) {
      metrics.skipped(type);
    } else {
      metrics.applied(type);
    }
  }

  private void oweInvalidation() {
    invalidationsOwed.incrementAndGet();
    settleInvalidation();
  }

  /**
   * Deletes every key under the prefix ({@code P:c_*}), in batches, if a deletion is owed and none
   * is running; called at once when one becomes owed, and every second (a deletion that failed is
   * tried again).
   */
  void settleInvalidation() {
    long owed = invalidationsOwed.get();
    if (owed == 0 || !invalidating.compareAndSet(false, true)) {
      return;
    }
    RedisAsyncCommands<String, String> commands = redis.commands().orElse(null);
    if (commands == null) {
      invalidating.set(false);
      return;
    }
    scanAndDelete(commands, ScanCursor.INITIAL).whenComplete((done, error) -> {
      invalidating.set(false);
      if (error != null) {
        metrics.error();
        log.debug("invalidating every entry under {}: failed ({}); retrying", keys.prefix(), error.toString());
      } else if (invalidationsOwed.compareAndSet(owed, 0)) {
        metrics.invalidation();
        log.info("every entry under {}: invalidated; sidecars refetch on their next check", keys.prefix());
      } else {
        metrics.invalidation();
        settleInvalidation();
      }
    });
  }

  /** Whether a deletion of every entry is owed (waiting for Redis to take writes). */
  boolean invalidationPending() {
    return invalidationsOwed.get() > 0;
  }

  private CompletableFuture<Void> scanAndDelete(RedisAsyncCommands<String, String> commands, ScanCursor cursor) {
    return commands.scan(cursor, ScanArgs.Builder.matches(keys.prefix() + ":c_*").limit(1_000)).toCompletableFuture()
        .thenCompose((KeyScanCursor<String> page) -> {
          CompletableFuture<Long> deleted = page.getKeys().isEmpty() ? CompletableFuture.completedFuture(0L)
              : commands.unlink(page.getKeys().toArray(new String[0])).toCompletableFuture();
          return deleted.thenCompose(count -> page.isFinished() ? CompletableFuture.<Void>completedFuture(null)
              : scanAndDelete(commands, page));
        });
  }

  private static EntityKey key(JsonNode node) {
    JsonNode resource = node.path("resourceId");
    return EntityKey.of(node.path("customerId").asText(""), resource.isTextual() ? resource.asText() : null);
  }
}
