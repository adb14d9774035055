package dev.stiggsidecar.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test websocket client that records every text frame and the close code and reason. */
final class WsProbe implements WebSocket.Listener, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The close the server sent. */
  record Close(int code, String reason) {}

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket socket;

  private WsProbe(URI uri, String subprotocol) {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (subprotocol != null) {
      builder.subprotocols(subprotocol);
    }
    this.socket = builder.buildAsync(uri, this).join();
  }

  static WsProbe connect(StiggEmulator emulator) {
    return new WsProbe(emulator.websocketUri().resolve("/graphql"), "graphql-transport-ws");
  }

  static WsProbe connectWithoutSubprotocol(StiggEmulator emulator) {
    return new WsProbe(emulator.websocketUri().resolve("/graphql"), null);
  }

  String subprotocol() {
    return socket.getSubprotocol();
  }

  void send(String frame) {
    socket.sendText(frame, true).join();
  }

  /** The next frame, or fails the test after five seconds. */
  JsonNode next() throws InterruptedException {
    JsonNode frame = frames.poll(5, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within 5 s");
    }
    return frame;
  }

  Close awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  /** Sends {@code connection_init} with {@code key} and expects {@code connection_ack}. */
  void initialise(String key) throws InterruptedException {
    send("{\"type\":\"connection_init\",\"payload\":{\"headers\":{\"X-API-KEY\":\"" + key + "\"}}}");
    JsonNode ack = next();
    if (!"connection_ack".equals(ack.path("type").asText())) {
      throw new AssertionError("expected connection_ack, got " + ack);
    }
  }

  void subscribe(String id, String operationName) {
    send("{\"id\":\"" + id + "\",\"type\":\"subscribe\",\"payload\":{\"variables\":{},\"extensions\":{},"
        + "\"operationName\":\"" + operationName + "\",\"query\":\"subscription " + operationName + " { x }\"}}");
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(JSON.readTree(partial.toString()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
