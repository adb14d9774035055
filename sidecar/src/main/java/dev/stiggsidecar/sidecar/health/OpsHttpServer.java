package dev.stiggsidecar.sidecar.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The operations endpoint on {@code HTTP_PORT}: {@code /livez} (the process is alive; never depends
 * on Stigg), {@code /readyz} (serving, with the upstream state in the body; 503 before serving and
 * while draining) and {@code /metrics} (Prometheus text format). Nothing here mutates state or
 * shows a secret.
 */
public final class OpsHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  public OpsHttpServer(InetSocketAddress address, Readiness readiness, SidecarMetrics metrics) throws IOException {
    server = HttpServer.create(address, 16);
    executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "sidecar-ops-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/livez", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
    server.createContext("/readyz", exchange -> respond(exchange, readiness.isServing() ? 200 : 503,
        "application/json", readiness.toJson().toString()));
    server.createContext("/metrics", exchange -> respond(exchange, 200,
        "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
  }

  public OpsHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
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
