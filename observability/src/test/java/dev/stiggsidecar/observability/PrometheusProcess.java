package dev.stiggsidecar.observability;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (the binary on {@code PATH}) on a free loopback port, scraping the given
 * components every second and the API server every two, with the rule file loaded; its storage and
 * log under {@code target/}. Queried through its HTTP API as Grafana and Alertmanager see it.
 */
final class PrometheusProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusProcess(Process process, Path log, URI base) {
    this.process = process;
    this.log = log;
    this.base = base;
  }

  /**
   * @param targets job name → HTTP port on 127.0.0.1 serving {@code /metrics}
   * @param apiServer the API server, scraped over HTTPS with {@code token}
   */
  static PrometheusProcess start(Path binary, Map<String, Integer> targets, URI apiServer, String token, Path rules)
      throws IOException, InterruptedException {
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "prometheus");
    Files.writeString(home.resolve("token"), token);
    StringBuilder config = new StringBuilder("""
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: ["%s"]
        scrape_configs:
        """.formatted(rules));
    targets.forEach((job, port) -> config.append("""
          - job_name: %s
            static_configs:
              - targets: ["127.0.0.1:%d"]
                labels: {namespace: observed, pod: %s-0}
        """.formatted(job, port, job)));
    config.append("""
          - job_name: kube-apiserver
            scrape_interval: 2s
            scheme: https
            tls_config: {insecure_skip_verify: true}
            authorization: {credentials_file: "%s"}
            static_configs:
              - targets: ["%s:%d"]
        """.formatted(home.resolve("token"), apiServer.getHost(), apiServer.getPort()));
    Files.writeString(home.resolve("prometheus.yml"), config);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = home.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + home.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusProcess prometheus = new PrometheusProcess(process, log, URI.create("http://127.0.0.1:" + port));
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> prometheus.get("/-/ready").statusCode() == 200);
    } catch (RuntimeException e) {
      prometheus.close();
      throw new IllegalStateException("Prometheus did not become ready; its log:\n" + Files.readString(log), e);
    }
    return prometheus;
  }

  /** Every metric name Prometheus holds. */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    api("/api/v1/label/__name__/values").path("data").forEach(name -> names.add(name.asText()));
    return names;
  }

  /** The answer of an instant query, successful or not. */
  JsonNode query(String expression) {
    return api("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
  }

  /** The alerting rules as Prometheus evaluates them (name, health, lastError, ...). */
  List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    api("/api/v1/rules?type=alert").at("/data/groups").forEach(group -> group.path("rules").forEach(rules::add));
    return rules;
  }

  /** Each target's health and last error, for a failure message. */
  String targetsReport() {
    StringBuilder report = new StringBuilder("targets:\n");
    api("/api/v1/targets").at("/data/activeTargets").forEach(target -> report.append("  ")
        .append(target.at("/labels/job").asText()).append(' ').append(target.path("health").asText()).append(' ')
        .append(target.path("lastError").asText()).append('\n'));
    return report.toString();
  }

  private JsonNode api(String path) {
    try {
      return JSON.readTree(get(path).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
