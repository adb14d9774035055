package dev.stiggsidecar.persistentcache;

import dev.stiggsidecar.opshttp.OpsHttpServer;
import dev.stiggsidecar.redis.RedisCodec;
import dev.stiggsidecar.redis.RedisGateway;
import dev.stiggsidecar.redis.RedisKeys;
import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.realtime.Backoff;
import dev.stiggsidecar.stigg.realtime.RealtimeFeed;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import dev.stiggsidecar.stigg.upstream.SdkIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Persistent Cache Service assembled: Stigg's real-time stream in, the shared Redis out, and
 * {@code /livez}, {@code /readyz} (stream and Redis state) and {@code /metrics} on
 * {@code HTTP_PORT}.
 */
public final class PersistentCacheRuntime implements AutoCloseable {

  private final PersistentCacheMetrics metrics = new PersistentCacheMetrics();
  private final ScheduledExecutorService scheduler;
  private final RedisGateway redis;
  private final RedisWriter writer;
  private final RealtimeFeed feed;
  private final OpsHttpServer http;

  private PersistentCacheRuntime(PersistentCacheConfig config) throws IOException {
    RedisSettings settings = config.redis();
    scheduler = Executors.newScheduledThreadPool(1, runnable -> {
      Thread thread = new Thread(runnable, "persistent-cache-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    redis = new RedisGateway(settings, scheduler);
    RedisKeys keys = new RedisKeys(settings.environmentPrefix());
    writer = new RedisWriter(redis, keys, new RedisCodec(keys, new EntitlementJson(new FeatureCatalog())), metrics, Clock.systemUTC(),
        settings.keysTtl());
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("X-API-KEY", config.stigg().apiKey().value());
    headers.putAll(SdkIdentity.ofThisProcess().headers());
    headers.put("source", "PERSISTENT_CACHE_SERVICE");
    Map<String, Object> initHeaders = Map.copyOf(headers);
    feed = new RealtimeFeed(HttpClient.newHttpClient(), config.stigg().websocketUrl(), () -> initHeaders,
        config.stigg().upstreamTimeout(),
        scheduler, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> ThreadLocalRandom.current().nextDouble()),
        metrics, writer);
    metrics.gauge("persistent_cache.stream.connected", "1 while Stigg's stream flows", () -> writer.streamConnected() ? 1 : 0);
    metrics.gauge("persistent_cache.redis.connected", "1 while Redis answers", () -> redis.isConnected() ? 1 : 0);
    metrics.gauge("persistent_cache.invalidation.pending", "1 while a deletion of every entry is owed (events were "
        + "lost, Redis does not take writes yet)", () -> writer.invalidationPending() ? 1 : 0);
    scheduler.scheduleAtFixedRate(writer::settleInvalidation, 1, 1, TimeUnit.SECONDS);
    http = new OpsHttpServer(new InetSocketAddress(config.httpBindAddress(), config.httpPort()), Map.of(
        "/livez", () -> OpsHttpServer.Answer.json(200, "{\"status\":\"UP\"}"),
        "/readyz", () -> OpsHttpServer.Answer.json(isReady() ? 200 : 503, "{\"status\":\"" + (isReady() ? "UP" : "DOWN")
            + "\",\"stream\":\"" + feed.state().name().toLowerCase(java.util.Locale.ROOT) + "\",\"redis\":\""
            + (redis.isConnected() ? "connected" : "disconnected") + "\"}"),
        "/metrics", () -> OpsHttpServer.Answer.prometheus(metrics.scrape())));
  }

  public static PersistentCacheRuntime start(PersistentCacheConfig config) throws IOException {
    PersistentCacheRuntime runtime = new PersistentCacheRuntime(config);
    runtime.http.start();
    runtime.redis.start();
    runtime.feed.start();
    return runtime;
  }

  public int httpPort() {
    return http.port();
  }

  public boolean isReady() {
    return writer.streamConnected() && redis.isConnected();
  }

  /** The Prometheus text of its metrics, as {@code /metrics} serves it. */
  public String scrape() {
    return metrics.scrape();
  }

  /** What applies Stigg's events to Redis; tests feed it events directly. */
  public RedisWriter writer() {
    return writer;
  }

  @Override
  public void close() {
    feed.close();
    http.close();
    redis.close();
    scheduler.shutdownNow();
    metrics.close();
  }
}
