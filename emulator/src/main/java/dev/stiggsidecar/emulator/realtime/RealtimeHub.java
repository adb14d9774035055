package dev.stiggsidecar.emulator.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.emulator.faults.Faults;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Stigg's real-time endpoint: GraphQL subscriptions over websocket ({@code graphql-transport-ws}).
 * Holds the open connections and fans each change out to the connections subscribed to it.
 */
public final class RealtimeHub {

  static final String SUBPROTOCOL = "graphql-transport-ws";

  private final String apiKey;
  private final EmulatorStats stats;
  private final Supplier<Faults> faults;
  private final ScheduledExecutorService scheduler;
  private final Set<GraphqlWsConnection> connections = ConcurrentHashMap.newKeySet();

  public RealtimeHub(String apiKey, EmulatorStats stats, Supplier<Faults> faults,
      ScheduledExecutorService scheduler) {
    this.apiKey = apiKey;
    this.stats = stats;
    this.faults = faults;
    this.scheduler = scheduler;
  }

  /** Accepts upgrades to {@code graphql-transport-ws}, or refuses them with 503 while faulted. */
  public WebSocketCreator creator() {
    return (request, response, callback) -> {
      stats.request("ws:upgrade");
      if (faults.get().refusesWebsockets()) {
        Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
            "websockets are refused while the down or dropWebsockets fault is set");
        return null;
      }
      boolean offered = request.getSubProtocols().contains(SUBPROTOCOL);
      if (offered) {
        response.setAcceptedSubProtocol(SUBPROTOCOL);
      }
      return new GraphqlWsConnection(this, offered);
    };
  }

  /** Sends {@code payload} as the data of {@code subscription} to every subscriber. */
  public void publish(Subscription subscription, ObjectNode payload) {
    int receivers = 0;
    for (GraphqlWsConnection connection : connections) {
      receivers += connection.deliver(subscription, payload);
    }
    stats.push(subscription.field(), receivers);
  }

  /** Closes every open connection, e.g. to make clients reconnect. */
  public void closeAll(int code, String reason) {
    connections.forEach(connection -> connection.close(code, reason));
  }

  boolean acceptsKey(String key) {
    return apiKey.equals(key) && !faults.get().rejectKey();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  void opened(GraphqlWsConnection connection) {
    connections.add(connection);
    stats.websocketOpened();
  }

  void closed(GraphqlWsConnection connection) {
    if (connections.remove(connection)) {
      stats.websocketClosed();
    }
  }
}
