package dev.stiggsidecar.stigg.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.stigg.upstream.GraphqlDocuments;
import dev.stiggsidecar.stigg.upstream.StiggJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stigg's real-time stream: GraphQL subscriptions over a websocket ({@code graphql-transport-ws}),
 * as Stigg's SDK opens them.
 *
 * <p>Design notes. One connection carries the four subscriptions. The API key travels only in
 * {@code connection_init}. On every acknowledged (re)connection the cache is cleared, because
 * updates may have been missed while disconnected. A ping goes out every 10 s; a connection that
 * answers nothing for 30 s is abandoned. Lost connections are retried forever with jittered
 * exponential backoff, except when Stigg closes with {@code Invalid API key}: retrying soon cannot
 * fix a wrong key, so the feed says so once and tries again only every minute (which heals a
 * refusal on Stigg's side, and costs nothing while the key stays wrong). Each connection has a generation number so that late
 * callbacks of an abandoned socket change nothing.
 */
public final class RealtimeFeed implements AutoCloseable {

  /** Where the feed stands, for readiness and logs. */
  public enum State { CONNECTING, CONNECTED, DISCONNECTED, INVALID_API_KEY, CLOSED }

  private static final Logger log = LoggerFactory.getLogger(RealtimeFeed.class);
  private static final String SUBPROTOCOL = "graphql-transport-ws";
  private static final Duration PING_INTERVAL = Duration.ofSeconds(10);
  private static final Duration SILENCE_LIMIT = Duration.ofSeconds(30);
  static final Duration INVALID_KEY_RETRY = Duration.ofSeconds(60);

  private record Subscription(String id, String operationName, String field, String document,
      Consumer<JsonNode> handler) {}

  private final CompletableFuture<HttpClient> http;
  private final URI url;
  private final Supplier<Map<String, Object>> initHeaders;
  private final Duration connectTimeout;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final RealtimeMetrics metrics;
  private final RealtimeHandler updates;
  private final Map<String, Subscription> subscriptions;
  private final AtomicInteger generation = new AtomicInteger();
  private final Object lock = new Object();
  private volatile State state = State.DISCONNECTED;
  private int attempt;
  private WebSocket socket;
  private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
  private ScheduledFuture<?> keepAlive;
  private volatile long lastHeardNanos;
  private boolean keyRefused;

  public RealtimeFeed(HttpClient http, URI url, Supplier<Map<String, Object>> initHeaders, Duration connectTimeout,
      ScheduledExecutorService scheduler, Backoff backoff, RealtimeMetrics metrics, RealtimeHandler updates) {
    this(CompletableFuture.completedFuture(http), url, initHeaders, connectTimeout, scheduler, backoff, metrics, updates);
  }

  /**
   * With an HTTP client still being built: the first connection attempt waits for it. The
   * {@code connection_init} headers are read at each connection.
   */
  public RealtimeFeed(CompletionStage<HttpClient> http, URI url, Supplier<Map<String, Object>> initHeaders,
      Duration connectTimeout, ScheduledExecutorService scheduler, Backoff backoff, RealtimeMetrics metrics,
      RealtimeHandler updates) {
    this.http = http.toCompletableFuture();
    this.url = url;
    this.initHeaders = initHeaders;
    this.connectTimeout = connectTimeout;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.metrics = metrics;
    this.updates = updates;
    this.subscriptions = Map.of(
        "1", new Subscription("1", "OnEntitlementsUpdated", "entitlementsUpdated",
            GraphqlDocuments.ON_ENTITLEMENTS_UPDATED, updates::entitlementsUpdated),
        "2", new Subscription("2", "OnUsageUpdated", "usageUpdated", GraphqlDocuments.ON_USAGE_UPDATED,
            updates::usageUpdated),
        "3", new Subscription("3", "OnPackagePublished", "packagePublished", GraphqlDocuments.ON_PACKAGE_PUBLISHED,
            updates::packagePublished),
        "4", new Subscription("4", "OnCreditBalanceUpdated", "creditBalanceUpdated",
            GraphqlDocuments.ON_CREDIT_BALANCE_UPDATED, updates::creditBalanceUpdated));
  }

  public State state() {
    return state;
  }

  /** Opens the connection in the background; returns at once. */
  public void start() {
    connect();
  }

  private void connect() {
    int current;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CONNECTING;
      current = generation.incrementAndGet();
    }
    log.debug("connecting to Stigg's real-time stream at {}", url);
    http.thenCompose(client -> client.newWebSocketBuilder().subprotocols(SUBPROTOCOL).connectTimeout(connectTimeout)
            .buildAsync(url, new Listener(current)))
        .whenComplete((webSocket, error) -> {
          if (error != null) {
            lost(current, "cannot connect: " + rootMessage(error));
          }
        });
  }

  private void opened(int current, WebSocket webSocket) {
    synchronized (lock) {
      if (current != generation.get()) {
        webSocket.abort();
        return;
      }
      socket = webSocket;
      sending = CompletableFuture.completedFuture(webSocket);
    }
    lastHeardNanos = System.nanoTime();
    ObjectNode init = StiggJson.mapper().createObjectNode().put("type", "connection_init");
    init.putObject("payload").set("headers", StiggJson.mapper().valueToTree(initHeaders.get()));
    send(current, init.toString());
    keepAlive = scheduler.scheduleAtFixedRate(() -> keepAlive(current), PING_INTERVAL.toMillis(),
        PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void received(int current, String text) {
    if (current != generation.get()) {
      return;
    }
    lastHeardNanos = System.nanoTime();
    JsonNode message;
    try {
      message = StiggJson.mapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      log.warn("ignoring an unreadable real-time message: {}", e.getOriginalMessage());
      return;
    }
    switch (message.path("type").asText("")) {
      case "connection_ack" -> acknowledged(current);
      case "next" -> next(message);
      case "ping" -> send(current, "{\"type\":\"pong\"}");
      case "pong" -> { }
      case "error" -> lost(current, "subscription " + message.path("id").asText() + " failed: " + message.path("payload"));
      case "complete" -> lost(current, "Stigg completed subscription " + message.path("id").asText());
      default -> log.debug("ignoring real-time message of type {}", message.path("type").asText());
    }
  }

  /**
   * The connection is up: subscribes, lets the handler act on it, and only then reports
   * {@link State#CONNECTED}, so that whoever reads the state (readiness) never sees a connection
   * that the handler has not yet acted on (for the sidecar: fetches in flight superseded).
   */
  private void acknowledged(int current) {
    synchronized (lock) {
      if (current != generation.get()) {
        return;
      }
      attempt = 0;
      if (keyRefused) {
        keyRefused = false;
        log.info("Stigg accepts the API key on the real-time stream again");
      }
    }
    for (Subscription subscription : subscriptions.values()) {
      ObjectNode subscribe = StiggJson.mapper().createObjectNode()
          .put("id", subscription.id()).put("type", "subscribe");
      ObjectNode payload = subscribe.putObject("payload");
      payload.putObject("variables");
      payload.putObject("extensions");
      payload.put("operationName", subscription.operationName());
      payload.put("query", subscription.document());
      send(current, subscribe.toString());
    }
    updates.connected();
    synchronized (lock) {
      if (current != generation.get()) {
        return;
      }
      state = State.CONNECTED;
    }
    log.info("real-time updates connected ({})", url);
  }

  private void next(JsonNode message) {
    Subscription subscription = subscriptions.get(message.path("id").asText());
    if (subscription == null) {
      return;
    }
    JsonNode data = message.path("payload").path("data").path(subscription.field());
    if (data.isObject()) {
      metrics.realtimeEvent(subscription.field());
      try {
        subscription.handler().accept(data);
      } catch (RuntimeException e) {
        log.warn("could not apply a {} event: {}", subscription.field(), e.toString());
      }
    }
  }

  private void closed(int current, int code, String reason) {
    if (reason != null && reason.contains("Invalid API key")) {
      boolean first;
      synchronized (lock) {
        if (current != generation.get() || state == State.CLOSED) {
          return;
        }
        generation.incrementAndGet();
        state = State.INVALID_API_KEY;
        stopKeepAlive();
        socket = null;
        first = !keyRefused;
        keyRefused = true;
      }
      metrics.invalidApiKey();
      updates.disconnected();
      if (first) {
        log.error("Stigg refused the API key on the real-time stream (close {} \"{}\"); checks keep being answered "
            + "from the cache, the API and fallbacks; retrying every {} s. A key that stays refused needs "
            + "SERVER_API_KEY fixed and a restart", code, reason, INVALID_KEY_RETRY.toSeconds());
      } else {
        log.debug("Stigg still refuses the API key on the real-time stream; retrying in {} s",
            INVALID_KEY_RETRY.toSeconds());
      }
      scheduler.schedule(this::connect, INVALID_KEY_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    lost(current, "closed by Stigg (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
  }

  /** The connection is gone: note it, and schedule the next attempt. */
  private void lost(int current, String why) {
    Duration delay;
    synchronized (lock) {
      if (current != generation.get() || state == State.CLOSED || state == State.INVALID_API_KEY) {
        return;
      }
      generation.incrementAndGet();
      boolean wasConnected = state == State.CONNECTED;
      state = State.DISCONNECTED;
      stopKeepAlive();
      if (socket != null) {
        socket.abort();
        socket = null;
      }
      delay = backoff.delay(attempt++);
      if (wasConnected) {
        log.warn("real-time updates lost: {}; reconnecting in {} ms, serving cached entitlements meanwhile",
            why, delay.toMillis());
      } else {
        log.warn("real-time updates unavailable: {}; retrying in {} ms", why, delay.toMillis());
      }
    }
    updates.disconnected();
    scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void keepAlive(int current) {
    if (System.nanoTime() - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
      lost(current, "no answer to pings for " + SILENCE_LIMIT.toSeconds() + " s");
    } else {
      send(current, "{\"type\":\"ping\"}");
    }
  }

  /** Sends in order: the JDK websocket allows one outstanding send at a time. */
  private void send(int current, String text) {
    synchronized (lock) {
      if (current != generation.get() || socket == null) {
        return;
      }
      WebSocket target = socket;
      sending = sending.thenCompose(ignored -> target.sendText(text, true));
      sending.whenComplete((ignored, error) -> {
        if (error != null) {
          lost(current, "send failed: " + rootMessage(error));
        }
      });
    }
  }

  private void stopKeepAlive() {
    if (keepAlive != null) {
      keepAlive.cancel(false);
      keepAlive = null;
    }
  }

  @Override
  public void close() {
    WebSocket last;
    synchronized (lock) {
      state = State.CLOSED;
      generation.incrementAndGet();
      stopKeepAlive();
      last = socket;
      socket = null;
    }
    if (last != null) {
      last.sendClose(WebSocket.NORMAL_CLOSURE, "sidecar shutting down").orTimeout(1, TimeUnit.SECONDS)
          .whenComplete((ignored, error) -> last.abort());
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /** Callbacks of one connection attempt. */
  private final class Listener implements WebSocket.Listener {
    private final int current;
    private final StringBuilder partial = new StringBuilder();

    Listener(int current) {
      this.current = current;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      opened(current, webSocket);
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        received(current, text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed(current, statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      lost(current, rootMessage(error));
    }
  }
}
