package dev.stiggsidecar.webhook.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stiggsidecar.webhook.tls.ReloadingKeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS endpoint the API server calls: {@code POST /mutate} for pods of ordinary namespaces,
 * {@code POST /mutate-namespace} for namespaces labelled {@code sidecar.stigg.io/injection:
 * enabled}. A malformed review gets 400 with a one-line JSON reason, never a stack trace.
 */
public final class AdmissionServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService reloader;

  public AdmissionServer(InetSocketAddress address, ReloadingKeyManager keys, AdmissionHandler handler)
      throws IOException, GeneralSecurityException {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(new KeyManager[] {keys}, null, null);
    server = HttpsServer.create(address, 128);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/mutate", exchange -> admit(exchange, handler, false));
    server.createContext("/mutate-namespace", exchange -> admit(exchange, handler, true));
    workers = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2), runnable -> {
      Thread thread = new Thread(runnable, "admission");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(workers);
    reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "certificate-reloader");
      thread.setDaemon(true);
      return thread;
    });
    reloader.scheduleWithFixedDelay(keys::reloadIfChanged, 10, 10, TimeUnit.SECONDS);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void admit(HttpExchange exchange, AdmissionHandler handler, boolean namespaceOptedIn) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 405, "{\"error\":\"POST an AdmissionReview (admission.k8s.io/v1)\"}");
        return;
      }
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
          answer(exchange, 413, "{\"error\":\"AdmissionReview larger than 4 MiB\"}");
          return;
        }
        body = new String(bytes, StandardCharsets.UTF_8);
      }
      try {
        answer(exchange, 200, handler.handle(body, namespaceOptedIn));
      } catch (AdmissionHandler.MalformedReviewException malformed) {
        answer(exchange, 400, new ObjectMapper().createObjectNode().put("error", malformed.getMessage()).toString());
      } catch (RuntimeException unexpected) {
        log.error("admission failed", unexpected);
        answer(exchange, 500, "{\"error\":\"internal error; see the webhook's log\"}");
      }
    }
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdownNow();
    reloader.shutdownNow();
  }
}
