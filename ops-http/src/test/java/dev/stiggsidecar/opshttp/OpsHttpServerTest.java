package dev.stiggsidecar.opshttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void answersEachPathFromItsSupplierAtTheTimeOfTheRequestAndOnlyToGet() throws Exception {
    AtomicBoolean ready = new AtomicBoolean();
    try (OpsHttpServer server = new OpsHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Map.of(
        "/readyz", () -> OpsHttpServer.Answer.text(ready.get() ? 200 : 503, ready.get() ? "ready\n" : "starting\n"),
        "/metrics", () -> OpsHttpServer.Answer.prometheus("up 1\n"))).start()) {
      HttpResponse<String> starting = get(server, "/readyz", "GET");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).isEqualTo("starting\n");
      ready.set(true);
      assertThat(get(server, "/readyz", "GET").statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = get(server, "/metrics", "GET");
      assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).isEqualTo("up 1\n");
      assertThat(get(server, "/metrics", "POST").statusCode()).isEqualTo(405);
      assertThat(get(server, "/elsewhere", "GET").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> get(OpsHttpServer server, String path, String method) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
