package dev.stiggsidecar.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small HTTP client for tests: JSON in, status and JSON out. */
public final class HttpProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A reply: the status and the parsed body (a missing node for an empty body). */
  public record Answer(int status, JsonNode body) {}

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public HttpProbe(URI base) {
    this.base = base;
  }

  public Answer get(String path, Optional<String> apiKey) throws IOException, InterruptedException {
    return send(request(path, apiKey).GET().build());
  }

  public Answer send(String method, String path, Optional<String> apiKey, String body)
      throws IOException, InterruptedException {
    return send(request(path, apiKey).header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  /** A GraphQL POST with the given operation name, document and variables (JSON). */
  public Answer graphql(String apiKey, String operationName, String query, String variables)
      throws IOException, InterruptedException {
    String body = JSON.createObjectNode().put("operationName", operationName)
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("variables", JSON.readTree(variables))
        .put("query", query).toString();
    return send("POST", "/graphql", Optional.of(apiKey), body);
  }

  private HttpRequest.Builder request(String path, Optional<String> apiKey) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    apiKey.ifPresent(key -> builder.header("x-api-key", key));
    return builder;
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
    return new Answer(response.statusCode(), body);
  }
}
