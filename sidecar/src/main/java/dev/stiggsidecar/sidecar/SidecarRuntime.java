package dev.stiggsidecar.sidecar;

import dev.stiggsidecar.opshttp.OpsHttpServer;
import dev.stiggsidecar.redis.RedisGateway;
import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.sidecar.cache.CachingEntitlementStore;
import dev.stiggsidecar.sidecar.cache.CaffeineEntitlementCache;
import dev.stiggsidecar.sidecar.cache.EntitlementStore;
import dev.stiggsidecar.sidecar.cache.OfflineEntitlementStore;
import dev.stiggsidecar.sidecar.cache.redis.RedisEntitlementStore;
import dev.stiggsidecar.sidecar.config.SidecarConfig;
import dev.stiggsidecar.sidecar.decision.DecisionEngine;
import dev.stiggsidecar.sidecar.decision.Fallbacks;
import dev.stiggsidecar.sidecar.grpc.GrpcCallMetrics;
import dev.stiggsidecar.sidecar.grpc.SidecarGrpcServer;
import dev.stiggsidecar.sidecar.grpc.SidecarGrpcService;
import dev.stiggsidecar.sidecar.health.Readiness;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.sidecar.realtime.RealtimeUpdates;
import dev.stiggsidecar.sidecar.transport.EventLoops;
import dev.stiggsidecar.sidecar.usage.OfflineUsageReporter;
import dev.stiggsidecar.sidecar.usage.StiggUsageReporter;
import dev.stiggsidecar.sidecar.usage.UsageReporter;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.realtime.Backoff;
import dev.stiggsidecar.stigg.realtime.RealtimeFeed;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import dev.stiggsidecar.stigg.upstream.SdkIdentity;
import dev.stiggsidecar.stigg.upstream.StiggApiClient;
import dev.stiggsidecar.stigg.upstream.UpstreamException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the sidecar is assembled from its configuration, started and stopped.
 * Starting never waits for Stigg: the key check and the real-time connection proceed in the
 * background while checks are already answered (from fallbacks until entitlements arrive). In
 * Redis mode it does wait, boundedly, for Redis: the gRPC port opens only once Redis can be read,
 * because a check answered before that could not see what Redis holds, and with Stigg down would
 * get a fallback for a customer Redis knows.
 */
public final class SidecarRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SidecarRuntime.class);
  private static final Duration KEY_CHECK_RETRY = Duration.ofSeconds(30);

  private final SidecarConfig config;
  private final SidecarMetrics metrics;
  private final ScheduledExecutorService scheduler;
  private final Optional<CompletableFuture<HttpClient>> http;
  private final Optional<StiggApiClient> upstream;
  private final Optional<RealtimeFeed> feed;
  private final Optional<RedisGateway> redis;
  private final Readiness readiness;
  private final EventLoops loops = EventLoops.forThisMachine();
  private final SidecarGrpcServer grpc;
  private final OpsHttpServer ops;
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * Completed once the start no longer needs the CPU (gRPC serves, or the start waits for Redis):
   * the JVM metrics, not needed to answer a check, are registered after it.
   */
  private final CompletableFuture<Void> startDone = new CompletableFuture<>();

  private SidecarRuntime(SidecarConfig config) throws IOException {
    this.config = config;
    this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
      Thread thread = new Thread(runnable, "sidecar-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    // The JVM metrics are registered once the start is done, after the HTTP client is built: on
    // a pod's share of two cores, work beside the start slows the start down as much as it saves.
    this.metrics = new SidecarMetrics(task -> startDone.thenRunAsync(task, scheduler));
    Clock clock = Clock.systemUTC();
    EntitlementStore store;
    UsageReporter usage;
    CaffeineEntitlementCache cache = new CaffeineEntitlementCache(config.cacheMaxSizeBytes());
    if (config.offline()) {
      store = new OfflineEntitlementStore();
      usage = new OfflineUsageReporter();
      upstream = Optional.empty();
      feed = Optional.empty();
      redis = Optional.empty();
      http = Optional.empty();
    } else {
      // Built once the start is done (runDeferredWork): requests to Stigg made before then wait for it.
      CompletableFuture<HttpClient> httpClient = new CompletableFuture<>();
      http = Optional.of(httpClient);
      FeatureCatalog catalog = new FeatureCatalog();
      EntitlementJson json = new EntitlementJson(catalog);
      StiggApiClient client = new StiggApiClient(httpClient, config.apiKey(), config.graphqlUrl(), config.edgeUrl(),
          config.edgeEnabled(), config.upstreamTimeout(), SdkIdentity::ofThisProcess, json, metrics);
      if (config.redis().isPresent()) {
        RedisSettings settings = config.redis().get();
        CachingEntitlementStore whileRedisIsUnusable = new CachingEntitlementStore(cache, client, metrics, clock,
            System::nanoTime, config.maxStaleness(), scheduler, config.revalidationRate());
        RedisEntitlementStore redisStore = new RedisEntitlementStore(settings, loops.forRedis(), scheduler, cache,
            whileRedisIsUnusable, json, client, metrics, clock, config.upstreamTimeout(),
            config.cacheMaxSizeBytes() / 4);
        store = redisStore;
        redis = Optional.of(redisStore.gateway());
      } else {
        store = new CachingEntitlementStore(cache, client, metrics, clock, System::nanoTime, config.maxStaleness(),
            scheduler, config.revalidationRate());
        redis = Optional.empty();
      }
      usage = new StiggUsageReporter(client, store);
      upstream = Optional.of(client);
      // Redis mode opens no real-time feed: the shared Redis is kept fresh by its writers.
      feed = config.websocketEnabled() && redis.isEmpty()
          ? Optional.of(new RealtimeFeed(httpClient, config.websocketUrl(), client::connectionInitHeaders,
              config.upstreamTimeout(), scheduler,
              new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> ThreadLocalRandom.current().nextDouble()),
              metrics, new RealtimeUpdates(store, json)))
          : Optional.empty();
    }
    readiness = new Readiness(config.offline(), feed, redis.map(gateway -> gateway::state), cache::size,
        cache::weightedSize);
    metrics.gauge("sidecar.cache.entries", "Cached customer and resource entries", cache::size);
    metrics.gauge("sidecar.cache.size.bytes", "Estimated heap held by cached entries", cache::weightedSize);
    metrics.functionCounter("sidecar.cache.evictions", "Entries evicted to stay within CACHE_MAX_SIZE_BYTES",
        cache::evictions);
    redis.ifPresent(gateway -> metrics.gauge("sidecar.redis.connected",
        "1 while Redis answers commands; 0 means checks go to Stigg's API", () -> gateway.commands().isPresent() ? 1 : 0));
    // Absent when real-time updates are off (WS_ENABLED=false, offline): 0 would read as an outage.
    feed.ifPresent(f -> metrics.gauge("sidecar.realtime.connected", "1 while real-time updates flow",
        () -> f.state() == RealtimeFeed.State.CONNECTED ? 1 : 0));
    SidecarGrpcService service = new SidecarGrpcService(store, new DecisionEngine(new Fallbacks(config.fallbacks())),
        usage, metrics, clock, config.offline());
    grpc = new SidecarGrpcServer(new InetSocketAddress(config.grpcBindAddress(), config.grpcPort()), loops, service,
        new GrpcCallMetrics(metrics.registry()), config.shutdownGrace());
    ops = new OpsHttpServer(new InetSocketAddress(config.httpBindAddress(), config.httpPort()), Map.of(
        "/livez", () -> OpsHttpServer.Answer.json(200, "{\"status\":\"UP\"}"),
        "/readyz", () -> OpsHttpServer.Answer.json(readiness.isServing() ? 200 : 503, readiness.toJson().toString()),
        "/metrics", () -> OpsHttpServer.Answer.prometheus(metrics.scrape())));
  }

  /**
   * Starts serving.
   *
   * @throws IOException when a port cannot be bound (the message names it)
   */
  public static SidecarRuntime start(SidecarConfig config) throws IOException {
    SidecarRuntime runtime = new SidecarRuntime(config);
    try {
      runtime.ops.start();
    } catch (RuntimeException e) {
      runtime.close();
      throw new IOException("cannot serve HTTP on " + config.httpBindAddress() + ":" + config.httpPort()
          + " (HTTP_PORT): " + e.getMessage(), e);
    }
    runtime.redis.ifPresent(gateway -> {
      runtime.runDeferredWork();
      runtime.awaitRedis(gateway, config.redis().get().startupWait());
    });
    try {
      runtime.grpc.start();
    } catch (IOException e) {
      runtime.close();
      String hint = config.grpcPort() < 1024 ? "; ports below 1024 need privileges outside containers: set PORT" : "";
      throw new IOException("cannot serve gRPC on " + config.grpcBindAddress() + ":" + config.grpcPort()
          + " (PORT): " + e.getMessage() + hint, e);
    }
    runtime.readiness.serving(true);
    runtime.runDeferredWork();
    return runtime;
  }

  public int grpcPort() {
    return grpc.port();
  }

  public int httpPort() {
    return ops.port();
  }

  public Readiness readiness() {
    return readiness;
  }

  public SidecarMetrics metrics() {
    return metrics;
  }

  /**
   * Starts, once, what waited for the start to be done with the CPU, on the scheduler's thread: the
   * process identity sent to Stigg and the HTTP client (misses wait for them), the API key check and
   * the real-time connection, then the JVM metrics. The identity comes first: a request builds its
   * headers on the thread that makes it, and generating the identity (security providers, a host
   * name lookup) takes tens of milliseconds that should not fall on the first miss's event loop.
   * Called from {@link #start} only.
   */
  private void runDeferredWork() {
    if (startDone.isDone()) {
      return;
    }
    http.ifPresent(client -> scheduler.execute(() -> {
      SdkIdentity.ofThisProcess();
      buildHttpClient(client);
      upstream.ifPresent(this::checkKey);
      feed.ifPresent(RealtimeFeed::start);
    }));
    startDone.complete(null);
  }

  /**
   * Builds the client for Stigg's API once the start is done rather than during it: it initialises
   * TLS (security providers, the trust store's certificates), the largest step of a start, and
   * nothing answered at start needs it. The first miss, key check and real-time connection wait.
   */
  private void buildHttpClient(CompletableFuture<HttpClient> http) {
    try {
      http.complete(HttpClient.newBuilder()
          .connectTimeout(config.upstreamTimeout().compareTo(Duration.ofSeconds(5)) < 0
              ? config.upstreamTimeout() : Duration.ofSeconds(5))
          .version("http".equals(config.graphqlUrl().getScheme()) ? HttpClient.Version.HTTP_1_1
              : HttpClient.Version.HTTP_2)
          .build());
    } catch (RuntimeException e) {
      log.error("cannot build the HTTP client for Stigg's API; checks are answered from fallbacks: {}", e.toString());
      http.completeExceptionally(e);
    }
  }

  /**
   * Connects to Redis and waits until it can be read, for at most {@code wait}; after that the
   * sidecar serves anyway (from Stigg's API, then fallbacks) and Redis is used once it connects.
   */
  private void awaitRedis(RedisGateway gateway, Duration wait) {
    try {
      gateway.start().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Redis is not readable after {} ms (REDIS_STARTUP_WAIT_MS); serving anyway: checks go to Stigg's "
          + "API, then fallbacks, until Redis connects (/readyz says \"redis\":\"disconnected\")", wait.toMillis());
    } catch (ExecutionException e) {
      throw new IllegalStateException("the Redis connection future never fails", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Checks the API key as Stigg's SDK does at start; retries while Stigg is unreachable. */
  private void checkKey(StiggApiClient client) {
    client.validateKey().whenComplete((ok, error) -> {
      if (error == null) {
        readiness.keyState(Readiness.KeyState.VALID);
        log.info("connected to Stigg at {}; API key accepted", config.graphqlUrl().resolve("/"));
        return;
      }
      metrics.initializationError();
      UpstreamException failure = UpstreamException.of(error);
      if (failure.kind() == UpstreamException.Kind.INVALID_API_KEY) {
        readiness.keyState(Readiness.KeyState.INVALID);
        log.error("Stigg rejected the API key; checks are answered from fallbacks. Fix SERVER_API_KEY "
            + "(the key of the right Stigg environment) and restart");
      } else {
        readiness.keyState(Readiness.KeyState.UNVERIFIED);
        log.warn("cannot reach Stigg to check the API key ({}); serving from cache and fallbacks, "
            + "retrying in {} s", failure.getMessage(), KEY_CHECK_RETRY.toSeconds());
        scheduler.schedule(() -> checkKey(client), KEY_CHECK_RETRY.toSeconds(), TimeUnit.SECONDS);
      }
    });
  }

  /** Drains: reports not ready, lets calls in flight finish, then stops everything. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    readiness.serving(false);
    try {
      grpc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    feed.ifPresent(RealtimeFeed::close);
    redis.ifPresent(RedisGateway::close);
    loops.close();
    ops.close();
    scheduler.shutdownNow();
    metrics.close();
  }
}
