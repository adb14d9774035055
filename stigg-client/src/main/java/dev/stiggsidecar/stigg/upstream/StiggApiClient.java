package dev.stiggsidecar.stigg.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.upstream.ApiKey;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Talks to Stigg's API the way Stigg's official SDK does: Edge REST for entitlement reads (GraphQL
 * when Edge is off, and always for reloads), GraphQL mutations for usage and events, with the same
 * headers. Every call is asynchronous and bounded by the upstream timeout; failures complete the
 * future with an {@link UpstreamException} and are counted in Stigg's metric names.
 */
public final class StiggApiClient implements EntitlementFetcher {

  /** The {@code source} header: Stigg's SDK value, which Stigg's API knows. */
  static final String SOURCE = "NODE_SERVER_SDK";
  private static final String CLIENT_NAME = "stigg-sidecar-java";

  private final CompletableFuture<HttpClient> http;
  private final ApiKey apiKey;
  private final URI graphqlUrl;
  private final URI edgeUrl;
  private final boolean edgeEnabled;
  private final Duration timeout;
  private final Supplier<SdkIdentity> identity;
  private final EntitlementJson entitlementJson;
  private final UpstreamMetrics metrics;
  private final String clientVersion;

  public StiggApiClient(HttpClient http, ApiKey apiKey, URI graphqlUrl, URI edgeUrl, boolean edgeEnabled,
      Duration timeout, Supplier<SdkIdentity> identity, EntitlementJson entitlementJson, UpstreamMetrics metrics) {
    this(CompletableFuture.completedFuture(http), apiKey, graphqlUrl, edgeUrl, edgeEnabled, timeout, identity,
        entitlementJson, metrics);
  }

  /**
   * With an HTTP client still being built: requests made before it is ready wait for it. Building
   * one means initialising TLS, a quarter of a second that need not delay the sidecar's readiness.
   * The identity is read at each request, so {@link SdkIdentity#ofThisProcess} is not generated
   * before the first.
   */
  public StiggApiClient(CompletionStage<HttpClient> http, ApiKey apiKey, URI graphqlUrl, URI edgeUrl,
      boolean edgeEnabled, Duration timeout, Supplier<SdkIdentity> identity, EntitlementJson entitlementJson,
      UpstreamMetrics metrics) {
    this.http = http.toCompletableFuture();
    this.apiKey = apiKey;
    this.graphqlUrl = graphqlUrl;
    this.edgeUrl = edgeUrl;
    this.edgeEnabled = edgeEnabled;
    this.timeout = timeout;
    this.identity = identity;
    this.entitlementJson = entitlementJson;
    this.metrics = metrics;
    String version = StiggApiClient.class.getPackage().getImplementationVersion();
    this.clientVersion = version == null ? "dev" : version;
  }

  /** Checks the API key: Edge's SDK configuration, or the GraphQL query when Edge is off. */
  public CompletableFuture<Void> validateKey() {
    if (edgeEnabled) {
      return get("sdk-configuration", edgeUrl.toString() + "/v1/config/server-sdk-configuration.json", body -> null);
    }
    return graphql("GetSdkConfiguration", GraphqlDocuments.GET_SDK_CONFIGURATION, StiggJson.mapper().createObjectNode(),
        data -> null);
  }

  /** The entitlements of {@code key}: over Edge when enabled, unless {@code viaGraphql} is asked. */
  @Override
  public CompletableFuture<CustomerEntitlements> fetchEntitlements(EntityKey key, boolean viaGraphql) {
    return fetchFragments(key, viaGraphql).thenApply(list -> entitlementJson.entitlements(list, System.nanoTime()));
  }

  /** The same fetch, answering Stigg's {@code EntitlementFragment} list as received (for Redis). */
  public CompletableFuture<JsonNode> fetchFragments(EntityKey key, boolean viaGraphql) {
    if (edgeEnabled && !viaGraphql) {
      String url = edgeUrl + "/v1/c/" + encode(key.customerId()) + "/entitlements.json"
          + key.resourceId().map(resource -> "?resourceId=" + encode(resource)).orElse("");
      return get("entitlements", url, body -> body.path("data").path("entitlements"));
    }
    ObjectNode query = StiggJson.mapper().createObjectNode();
    query.put("customerId", key.customerId());
    key.resourceId().ifPresent(resource -> query.put("resourceId", resource));
    ObjectNode variables = StiggJson.mapper().createObjectNode();
    variables.set("query", query);
    return graphql("GetEntitlements", GraphqlDocuments.GET_ENTITLEMENTS, variables, data -> data.path("entitlements"));
  }

  public CompletableFuture<UsageMeasurement> reportUsage(UsageReport report) {
    ObjectNode variables = StiggJson.mapper().createObjectNode();
    variables.set("input", usageInput(report));
    return graphql("ReportUsage", GraphqlDocuments.REPORT_USAGE, variables,
        data -> measurement(data.path("reportUsage")));
  }

  public CompletableFuture<List<UsageMeasurement>> reportUsageBulk(List<UsageReport> reports) {
    ArrayNode usages = StiggJson.mapper().createArrayNode();
    reports.forEach(report -> usages.add(usageInput(report)));
    ObjectNode variables = StiggJson.mapper().createObjectNode();
    variables.putObject("input").set("usages", usages);
    return graphql("ReportUsageBulk", GraphqlDocuments.REPORT_USAGE_BULK, variables, data -> {
      List<UsageMeasurement> measurements = new ArrayList<>();
      data.path("reportUsageBulk").forEach(item -> measurements.add(measurement(item)));
      return measurements;
    });
  }

  public CompletableFuture<Void> reportEvents(List<UsageEvent> events) {
    ArrayNode usageEvents = StiggJson.mapper().createArrayNode();
    for (UsageEvent event : events) {
      ObjectNode item = usageEvents.addObject();
      item.put("customerId", event.key().customerId());
      item.put("eventName", event.eventName());
      item.put("idempotencyKey", event.idempotencyKey());
      event.key().resourceId().ifPresent(resource -> item.put("resourceId", resource));
      event.timestamp().ifPresent(time -> item.put("timestamp", time.toString()));
      if (!event.dimensions().isEmpty()) {
        item.set("dimensions", StiggJson.mapper().valueToTree(event.dimensions()));
      }
    }
    ObjectNode variables = StiggJson.mapper().createObjectNode();
    variables.putObject("input").set("usageEvents", usageEvents);
    return graphql("ReportEvent", GraphqlDocuments.REPORT_EVENT, variables, data -> null);
  }

  private ObjectNode usageInput(UsageReport report) {
    ObjectNode input = StiggJson.mapper().createObjectNode();
    input.put("featureId", report.featureId());
    input.put("customerId", report.key().customerId());
    report.key().resourceId().ifPresent(resource -> input.put("resourceId", resource));
    input.put("value", report.value());
    report.updateBehavior().ifPresent(behavior -> input.put("updateBehavior", behavior));
    report.createdAt().ifPresent(time -> input.put("createdAt", time.toString()));
    if (!report.dimensions().isEmpty()) {
      input.set("dimensions", StiggJson.mapper().valueToTree(report.dimensions()));
    }
    return input;
  }

  private UsageMeasurement measurement(JsonNode node) {
    if (!node.isObject()) {
      throw new UpstreamException(UpstreamException.Kind.MALFORMED, "usage report answer has no measurement");
    }
    JsonNode usage = node.path("currentUsage");
    return new UsageMeasurement(node.path("id").asText(""),
        EntityKey.of(node.path("customerId").asText(""), node.path("resourceId").asText(null)),
        node.path("featureId").asText(""),
        usage.isNumber() ? OptionalDouble.of(usage.asDouble()) : OptionalDouble.empty(),
        EntitlementJson.date(node.path("usagePeriodStart")), EntitlementJson.periodEnd(node),
        EntitlementJson.date(node.path("timestamp")) == Entitlement.NO_DATE ? System.currentTimeMillis()
            : EntitlementJson.date(node.path("timestamp")));
  }

  private <T> CompletableFuture<T> get(String operation, String url, Function<JsonNode, T> read) {
    HttpRequest request = baseRequest(URI.create(url)).header("x-api-version", "1").GET().build();
    return send("edge:" + operation, request, false, read);
  }

  private <T> CompletableFuture<T> graphql(String operation, String document, ObjectNode variables,
      Function<JsonNode, T> read) {
    ObjectNode body = StiggJson.mapper().createObjectNode();
    body.put("operationName", operation);
    body.set("variables", variables);
    body.put("query", document);
    HttpRequest request = baseRequest(graphqlUrl)
        .header("content-type", "application/json")
        .header("x-graphql-operation-name", operation)
        .header("apollographql-client-name", CLIENT_NAME)
        .header("apollographql-client-version", clientVersion)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    return send("graphql:" + operation, request, true, root -> read.apply(root.path("data")));
  }

  private HttpRequest.Builder baseRequest(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("accept", "application/json")
        .header("x-api-key", apiKey.value());
    identity.get().headers().forEach((name, value) -> builder.header(name, String.valueOf(value)));
    return builder;
  }

  private <T> CompletableFuture<T> send(String operation, HttpRequest request, boolean graphql,
      Function<JsonNode, T> read) {
    long started = System.nanoTime();
    return http.thenCompose(client -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .handle((response, error) -> {
          try {
            if (error != null) {
              throw classify(operation, error);
            }
            return read.apply(answer(operation, response, graphql));
          } catch (UpstreamException e) {
            record(operation, e, started);
            throw e;
          } catch (RuntimeException e) {
            UpstreamException malformed = new UpstreamException(UpstreamException.Kind.MALFORMED,
                operation + ": unreadable answer: " + e.getMessage(), e);
            record(operation, malformed, started);
            throw malformed;
          }
        })
        .whenComplete((value, error) -> {
          if (error == null) {
            metrics.upstreamCall(operation, "ok", Duration.ofNanos(System.nanoTime() - started));
          }
        });
  }

  private JsonNode answer(String operation, HttpResponse<String> response, boolean graphql) {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new UpstreamException(UpstreamException.Kind.INVALID_API_KEY,
          operation + ": Stigg rejected the API key (HTTP " + status + "); check SERVER_API_KEY");
    }
    JsonNode root;
    try {
      root = StiggJson.mapper().readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new UpstreamException(status >= 200 && status < 300 ? UpstreamException.Kind.MALFORMED
          : UpstreamException.Kind.HTTP_STATUS, operation + ": HTTP " + status + " with a body that is not JSON");
    }
    JsonNode errors = root == null ? null : root.path("errors");
    if (errors != null && errors.isArray() && !errors.isEmpty()) {
      for (JsonNode error : errors) {
        if ("UNAUTHENTICATED".equals(error.path("extensions").path("code").asText())) {
          throw new UpstreamException(UpstreamException.Kind.INVALID_API_KEY,
              operation + ": Stigg rejected the API key; check SERVER_API_KEY");
        }
      }
      String message = errors.get(0).path("message").asText("unknown error");
      throw new UpstreamException(status >= 500 ? UpstreamException.Kind.HTTP_STATUS : UpstreamException.Kind.REJECTED,
          operation + ": " + message);
    }
    if (status < 200 || status >= 300) {
      throw new UpstreamException(UpstreamException.Kind.HTTP_STATUS, operation + ": HTTP " + status);
    }
    if (root == null || (graphql && !root.path("data").isObject())) {
      throw new UpstreamException(UpstreamException.Kind.MALFORMED, operation + ": answer has no data");
    }
    return root;
  }

  private UpstreamException classify(String operation, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException) {
      return new UpstreamException(UpstreamException.Kind.TIMEOUT,
          operation + ": no answer within " + timeout.toMillis() + " ms (UPSTREAM_TIMEOUT_MS)", cause);
    }
    if (cause instanceof ConnectException) {
      return new UpstreamException(UpstreamException.Kind.NETWORK, operation + ": cannot connect to Stigg", cause);
    }
    if (cause instanceof IOException) {
      return new UpstreamException(UpstreamException.Kind.NETWORK,
          operation + ": network error: " + cause.getClass().getSimpleName() + " " + cause.getMessage(), cause);
    }
    return UpstreamException.of(cause);
  }

  private void record(String operation, UpstreamException error, long started) {
    if (error.kind() == UpstreamException.Kind.INVALID_API_KEY) {
      metrics.invalidApiKey();
    } else {
      metrics.networkError();
    }
    metrics.upstreamCall(operation, error.kind().name().toLowerCase(java.util.Locale.ROOT),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Headers for the websocket {@code connection_init}: the key and identity, as Stigg's SDK sends. */
  public Map<String, Object> connectionInitHeaders() {
    Map<String, Object> headers = new java.util.LinkedHashMap<>();
    headers.put("X-API-KEY", apiKey.value());
    headers.putAll(identity.get().headers());
    return headers;
  }
}
