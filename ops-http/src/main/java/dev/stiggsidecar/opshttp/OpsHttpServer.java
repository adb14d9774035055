package dev.stiggsidecar.opshttp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small HTTP server for operations endpoints (liveness, readiness, {@code /metrics}): GET only,
 * each path answered by a supplier. The sidecar, the persistent cache, the operator and the webhook
 * all serve their probes and metrics with it. Nothing served here mutates state or shows a secret.
 */
public final class OpsHttpServer implements AutoCloseable {

  /** One answer: status, content type, body. */
  public record Answer(int status, String contentType, String body) {

    public static Answer json(int status, String body) {
      return new Answer(status, "application/json", body);
    }

    public static Answer text(int status, String body) {
      return new Answer(status, "text/plain; charset=utf-8", body);
    }

    public static Answer prometheus(String body) {
      return new Answer(200, "text/plain; version=0.0.4; charset=utf-8", body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  public OpsHttpServer(InetSocketAddress address, Map<String, Supplier<Answer>> endpoints) throws IOException {
    server = HttpServer.create(address, 16);
    executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "ops-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    endpoints.forEach((path, answer) -> server.createContext(path, exchange -> respond(exchange, answer.get())));
  }

  public OpsHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
