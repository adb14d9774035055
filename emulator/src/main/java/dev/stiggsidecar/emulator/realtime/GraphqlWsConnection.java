package dev.stiggsidecar.emulator.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection speaking {@code graphql-transport-ws}, the protocol of the graphql-ws
 * library that Stigg's SDK uses. Close codes and reasons follow that library's server, except that
 * a wrong API key closes with 4401 {@code Invalid API key}: the reason Stigg's SDK stops on.
 *
 * <p>Frames go out in order through a small queue, because a websocket session must not have two
 * sends in flight at once. Public only because Jetty invokes listener methods reflectively.
 */
public final class GraphqlWsConnection implements Session.Listener.AutoDemanding {

  private static final Logger log = LoggerFactory.getLogger(GraphqlWsConnection.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long INIT_TIMEOUT_SECONDS = 3;

  private final RealtimeHub hub;
  private final boolean subprotocolAccepted;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Queue<String> outbox = new ArrayDeque<>();
  private volatile Session session;
  private volatile boolean initReceived;
  private volatile boolean acknowledged;
  private boolean sending;

  GraphqlWsConnection(RealtimeHub hub, boolean subprotocolAccepted) {
    this.hub = hub;
    this.subprotocolAccepted = subprotocolAccepted;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    hub.opened(this);
    if (!subprotocolAccepted) {
      close(4406, "Subprotocol not acceptable");
      return;
    }
    hub.scheduler().schedule(() -> {
      if (!initReceived) {
        close(4408, "Connection initialisation timeout");
      }
    }, INIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void onWebSocketText(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (java.io.IOException e) {
      close(4400, "Invalid message received");
      return;
    }
    switch (message.path("type").asText("")) {
      case "connection_init" -> onInit(message.path("payload"));
      case "ping" -> send("{\"type\":\"pong\"}");
      case "pong" -> { }
      case "subscribe" -> onSubscribe(message);
      case "complete" -> subscriptions.remove(message.path("id").asText());
      default -> close(4400, "Invalid message received");
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    hub.closed(this);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("websocket error", cause);
    hub.closed(this);
  }

  /** Sends {@code payload} to each of this connection's subscriptions to {@code subscription}. */
  int deliver(Subscription subscription, ObjectNode payload) {
    if (!acknowledged) {
      return 0;
    }
    int delivered = 0;
    for (Iterator<Map.Entry<String, Subscription>> it = subscriptions.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Subscription> entry = it.next();
      if (entry.getValue() == subscription) {
        ObjectNode next = JSON.createObjectNode();
        next.put("id", entry.getKey());
        next.put("type", "next");
        next.putObject("payload").putObject("data").set(subscription.field(), payload);
        send(next.toString());
        delivered++;
      }
    }
    return delivered;
  }

  void close(int code, String reason) {
    Session current = session;
    if (current != null && current.isOpen()) {
      current.close(code, reason, Callback.NOOP);
    }
  }

  private void onInit(JsonNode payload) {
    if (initReceived) {
      close(4429, "Too many initialisation requests");
      return;
    }
    initReceived = true;
    if (!hub.acceptsKey(apiKey(payload).orElse(""))) {
      close(4401, "Invalid API key");
      return;
    }
    acknowledged = true;
    send("{\"type\":\"connection_ack\"}");
  }

  /** The key travels in {@code payload.headers} under any capitalisation of {@code X-API-KEY}. */
  private static Optional<String> apiKey(JsonNode payload) {
    for (JsonNode holder : new JsonNode[] {payload.path("headers"), payload}) {
      for (Iterator<Map.Entry<String, JsonNode>> it = holder.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equalsIgnoreCase("x-api-key") && field.getValue().isTextual()) {
          return Optional.of(field.getValue().asText());
        }
      }
    }
    return Optional.empty();
  }

  private void onSubscribe(JsonNode message) {
    if (!acknowledged) {
      close(4401, "Unauthorized");
      return;
    }
    String id = message.path("id").asText("");
    JsonNode payload = message.path("payload");
    if (id.isEmpty() || !payload.path("query").isTextual()) {
      close(4400, "Invalid message received");
      return;
    }
    Optional<Subscription> subscription =
        Subscription.resolve(payload.path("operationName").asText(""), payload.path("query").asText());
    if (subscription.isEmpty()) {
      ObjectNode error = JSON.createObjectNode();
      error.put("id", id);
      error.put("type", "error");
      error.putArray("payload").addObject().put("message",
          "Unknown subscription; this server offers " + Subscription.known());
      send(error.toString());
      return;
    }
    if (subscriptions.putIfAbsent(id, subscription.get()) != null) {
      close(4409, "Subscriber for " + id + " already exists");
    }
  }

  private void send(String frame) {
    synchronized (outbox) {
      outbox.add(frame);
      if (sending) {
        return;
      }
      sending = true;
    }
    sendNext();
  }

  private void sendNext() {
    String frame;
    synchronized (outbox) {
      frame = outbox.poll();
      if (frame == null) {
        sending = false;
        return;
      }
    }
    Session current = session;
    if (current == null || !current.isOpen()) {
      synchronized (outbox) {
        outbox.clear();
        sending = false;
      }
      return;
    }
    current.sendText(frame, Callback.from(this::sendNext, failure -> {
      log.debug("websocket send failed", failure);
      synchronized (outbox) {
        outbox.clear();
        sending = false;
      }
    }));
  }
}
