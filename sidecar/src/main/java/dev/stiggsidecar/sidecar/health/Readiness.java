package dev.stiggsidecar.sidecar.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.redis.RedisGateway;
import dev.stiggsidecar.stigg.realtime.RealtimeFeed;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What {@code /readyz} reports. The sidecar is ready as soon as it serves gRPC, whatever Stigg's
 * state: it answers from cache and fallbacks, and a pod must not drop out of its Service because
 * Stigg is down. The body tells how it is answering: {@code connected} (Stigg reachable and
 * real-time updates flowing, or off), {@code degraded} (with the reason), or {@code offline}. In
 * Redis mode, {@code redis} is {@code connected}, {@code no_pubsub} (reads and writes work, misses
 * are not coordinated across sidecars) or {@code disconnected} (checks go to Stigg's API).
 */
public final class Readiness {

  /** Where the start-up API key check stands. */
  public enum KeyState { UNCHECKED, VALID, INVALID, UNVERIFIED }

  private final boolean offline;
  private final Optional<RealtimeFeed> feed;
  private final Optional<Supplier<RedisGateway.State>> redis;
  private final LongSupplier cacheEntries;
  private final LongSupplier cacheBytes;
  private volatile boolean serving;
  private volatile KeyState keyState = KeyState.UNCHECKED;

  public Readiness(boolean offline, Optional<RealtimeFeed> feed,
      Optional<Supplier<RedisGateway.State>> redis, LongSupplier cacheEntries, LongSupplier cacheBytes) {
    this.offline = offline;
    this.feed = feed;
    this.redis = redis;
    this.cacheEntries = cacheEntries;
    this.cacheBytes = cacheBytes;
  }

  public void serving(boolean value) {
    serving = value;
  }

  public boolean isServing() {
    return serving;
  }

  public void keyState(KeyState state) {
    keyState = state;
  }

  public KeyState keyState() {
    return keyState;
  }

  /** {@code connected}, {@code degraded} or {@code offline}. */
  public String upstream() {
    if (offline) {
      return "offline";
    }
    boolean realtimeOk = feed.map(f -> f.state() == RealtimeFeed.State.CONNECTED).orElse(true);
    boolean redisOk = redis.map(state -> state.get() == RedisGateway.State.CONNECTED).orElse(true);
    return keyState == KeyState.VALID && realtimeOk && redisOk ? "connected" : "degraded";
  }

  public ObjectNode toJson() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", serving ? "UP" : "DOWN");
    body.put("upstream", upstream());
    if (!offline) {
      body.put("apiKey", keyState.name().toLowerCase(Locale.ROOT));
      body.put("realtime", feed.map(f -> f.state().name().toLowerCase(Locale.ROOT)).orElse("disabled"));
      redis.ifPresent(state -> body.put("redis", state.get().name().toLowerCase(Locale.ROOT)));
    }
    ObjectNode cache = body.putObject("cache");
    cache.put("entries", cacheEntries.getAsLong());
    cache.put("bytes", cacheBytes.getAsLong());
    return body;
  }
}
