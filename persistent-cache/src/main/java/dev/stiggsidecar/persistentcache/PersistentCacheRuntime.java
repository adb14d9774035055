package dev.stiggsidecar.persistentcache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stiggsidecar.sidecar.cache.redis.RedisCodec;
import dev.stiggsidecar.sidecar.cache.redis.RedisGateway;
import dev.stiggsidecar.sidecar.cache.redis.RedisKeys;
import dev.stiggsidecar.sidecar.config.RedisSettings;
import dev.stiggsidecar.sidecar.config.SidecarConfig;
import dev.stiggsidecar.sidecar.entitlement.FeatureCatalog;
import dev.stiggsidecar.sidecar.realtime.Backoff;
import dev.stiggsidecar.sidecar.realtime.RealtimeFeed;
import dev.stiggsidecar.sidecar.upstream.SdkIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

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
  private final HttpServer http;

  private PersistentCacheRuntime(SidecarConfig config, RedisSettings settings) throws IOException {
    scheduler = Executors.newScheduledThreadPool(1, runnable -> {
      Thread thread = new Thread(runnable, "persistent-cache-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    redis = new RedisGateway(settings, scheduler);
    RedisKeys keys = new RedisKeys(settings.environmentPrefix());
    writer = new RedisWriter(redis, keys, new RedisCodec(keys, new FeatureCatalog()), metrics, Clock.systemUTC(),
        settings.keysTtl());
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("X-API-KEY", config.apiKey().value());
    headers.putAll(SdkIdentity.ofThisProcess().headers());
    headers.put("source", "PERSISTENT_CACHE_SERVICE");
    feed = new RealtimeFeed(HttpClient.newHttpClient(), config.websocketUrl(), headers, config.upstreamTimeout(),
        scheduler, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> ThreadLocalRandom.current().nextDouble()),
        metrics, writer);
    metrics.gauge("persistent_cache.stream.connected", "1 while Stigg's stream flows", () -> writer.streamConnected() ? 1 : 0);
    metrics.gauge("persistent_cache.redis.connected", "1 while Redis answers", () -> redis.isConnected() ? 1 : 0);
    http = HttpServer.create(new InetSocketAddress(config.httpBindAddress(), config.httpPort()), 16);
    http.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "persistent-cache-http");
      thread.setDaemon(true);
      return thread;
    }));
    http.createContext("/livez", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
    http.createContext("/readyz", exchange -> {
      boolean ready = writer.streamConnected() && redis.isConnected();
      respond(exchange, ready ? 200 : 503, "application/json", "{\"status\":\"" + (ready ? "UP" : "DOWN")
          + "\",\"stream\":\"" + feed.state().name().toLowerCase(java.util.Locale.ROOT) + "\",\"redis\":\""
          + (redis.isConnected() ? "connected" : "disconnected") + "\"}");
    });
    http.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
        metrics.scrape()));
  }

  public static PersistentCacheRuntime start(SidecarConfig config) throws IOException {
    RedisSettings settings = config.redis().orElseThrow(() -> new IllegalArgumentException(
        "REDIS_ENVIRONMENT_PREFIX is required: the persistent cache writes to Redis"));
    PersistentCacheRuntime runtime = new PersistentCacheRuntime(config, settings);
    runtime.http.start();
    runtime.redis.start();
    runtime.feed.start();
    return runtime;
  }

  public int httpPort() {
    return http.getAddress().getPort();
  }

  public boolean isReady() {
    return writer.streamConnected() && redis.isConnected();
  }

  String scrape() {
    return metrics.scrape();
  }

  RedisWriter writer() {
    return writer;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    feed.close();
    http.stop(0);
    redis.close();
    scheduler.shutdownNow();
    metrics.close();
  }
}
