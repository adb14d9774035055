package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.emulator.catalog.Catalog;
import dev.stiggsidecar.emulator.catalog.CatalogException;
import dev.stiggsidecar.emulator.catalog.EntityKey;
import dev.stiggsidecar.emulator.catalog.UsageChange;
import dev.stiggsidecar.emulator.catalog.UsageReport;
import dev.stiggsidecar.emulator.realtime.RealtimeHub;
import dev.stiggsidecar.emulator.realtime.Subscription;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stigg's GraphQL API over HTTP ({@code POST /graphql}), for the operations Stigg's SDK and sidecar
 * send. Requests are dispatched on {@code operationName} (the document is checked for syntax and
 * must define that operation, but is not executed), and answers carry every field of the
 * operation's selection set, as Stigg's server would.
 *
 * <p>Status codes follow Apollo Server: malformed requests, documents and variables are HTTP 400;
 * an invalid API key and business errors (unknown customer) are HTTP 200 with {@code errors}.
 */
public final class GraphqlApi {

  static final List<String> OPERATIONS = List.of("GetEntitlements", "GetEntitlementsState",
      "GetSdkConfiguration", "ReportUsage", "ReportUsageBulk", "ReportEvent");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String apiKey;
  private final Catalog catalog;
  private final EntitlementSource entitlements;
  private final RealtimeHub realtime;
  private final EmulatorStats stats;

  GraphqlApi(String apiKey, Catalog catalog, EntitlementSource entitlements, RealtimeHub realtime,
      EmulatorStats stats) {
    this.apiKey = apiKey;
    this.catalog = catalog;
    this.entitlements = entitlements;
    this.realtime = realtime;
    this.stats = stats;
  }

  public Reply handle(ApiRequest request) {
    if (!"POST".equals(request.method())) {
      stats.request("graphql:unsupported-method");
      return ApiErrors.reply(405, ApiErrors.BAD_REQUEST, "GraphQL requests must be POSTed as JSON");
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(request.body());
    } catch (JsonProcessingException e) {
      stats.request("graphql:invalid-json");
      return ApiErrors.reply(400, ApiErrors.BAD_REQUEST, "POST body sent invalid JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject() || !body.path("query").isTextual() || body.get("query").asText().isBlank()) {
      stats.request("graphql:invalid-request");
      return ApiErrors.reply(400, ApiErrors.BAD_REQUEST,
          "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.");
    }
    GraphqlDocument.Result parsed = GraphqlDocument.parse(body.get("query").asText());
    if (parsed.error().isPresent()) {
      stats.request("graphql:syntax-error");
      return syntaxError(parsed.error().get());
    }
    GraphqlDocument document = parsed.document().orElseThrow();
    Optional<String> requested = Optional.of(body.path("operationName")).filter(JsonNode::isTextual).map(JsonNode::asText);
    if (requested.isEmpty() && document.operationNames().size() + (document.hasAnonymousOperation() ? 1 : 0) != 1) {
      stats.request("graphql:unresolved-operation");
      return ApiErrors.reply(400, ApiErrors.OPERATION_RESOLUTION_FAILURE,
          "Must provide operation name if query contains multiple operations.");
    }
    String operation = requested.orElseGet(() -> document.operationNames().isEmpty() ? "" : document.operationNames().get(0));
    if (requested.isPresent() && !document.operationNames().contains(operation)) {
      stats.request("graphql:unresolved-operation");
      return ApiErrors.reply(400, ApiErrors.OPERATION_RESOLUTION_FAILURE, "Unknown operation named \"" + operation + "\".");
    }
    stats.request("graphql:" + (OPERATIONS.contains(operation) ? operation : "unknown"));
    if (!request.apiKey().map(apiKey::equals).orElse(false)) {
      return ApiErrors.unauthenticated(200);
    }
    JsonNode variables = body.path("variables").isObject() ? body.get("variables") : JSON.objectNode();
    try {
      return switch (operation) {
        case "GetEntitlements" -> getEntitlements(variables);
        case "GetEntitlementsState" -> getEntitlementsState(variables);
        case "GetSdkConfiguration" -> Reply.ok(EdgeApi.sdkConfiguration());
        case "ReportUsage" -> reportUsage(variables);
        case "ReportUsageBulk" -> reportUsageBulk(variables);
        case "ReportEvent" -> reportEvent(variables);
        default -> ApiErrors.reply(400, ApiErrors.VALIDATION_FAILED, "Operation \"" + operation
            + "\" is not served by this emulator; it serves " + String.join(", ", OPERATIONS) + ".");
      };
    } catch (BadInput e) {
      return ApiErrors.reply(400, ApiErrors.BAD_USER_INPUT, e.getMessage());
    } catch (CatalogException e) {
      return ApiErrors.reply(200, "NOT_FOUND", e.getMessage());
    }
  }

  private Reply getEntitlements(JsonNode variables) throws BadInput {
    EntitlementSource.Fetch fetch = entitlements.fetch(entityKey(variables, "query"));
    if (fetch.fault().isPresent()) {
      return EntitlementSource.faultReply(fetch.fault().get());
    }
    ObjectNode body = JSON.objectNode();
    body.putObject("data").set("entitlements", fetch.entitlements());
    return Reply.ok(body);
  }

  private Reply getEntitlementsState(JsonNode variables) throws BadInput {
    EntityKey key = entityKey(variables, "query");
    EntitlementSource.Fetch fetch = entitlements.fetch(key);
    if (fetch.fault().isPresent()) {
      return EntitlementSource.faultReply(fetch.fault().get());
    }
    String reason = null;
    if (!entitlements.exists(key)) {
      reason = key.resourceId().isPresent() && entitlements.exists(key.global())
          ? "CustomerResourceNotFound" : "CustomerNotFound";
    } else if (fetch.entitlements().isEmpty()) {
      reason = "NoActiveSubscription";
    }
    ObjectNode body = JSON.objectNode();
    ObjectNode state = body.putObject("data").putObject("entitlementsState");
    state.set("entitlements", fetch.entitlements());
    state.put("accessDeniedReason", reason);
    state.put("__typename", "EntitlementsState");
    return Reply.ok(body);
  }

  private Reply reportUsage(JsonNode variables) throws BadInput, CatalogException {
    UsageChange change = catalog.reportUsage(usageReport(variables.path("input"), "$input"));
    stats.usageReports(1);
    publish(change);
    ObjectNode body = JSON.objectNode();
    body.putObject("data").set("reportUsage", change.measurement());
    return Reply.ok(body);
  }

  private Reply reportUsageBulk(JsonNode variables) throws BadInput, CatalogException {
    JsonNode usages = variables.path("input").path("usages");
    if (!usages.isArray()) {
      throw new BadInput("Variable \"$input\" got invalid value; Field \"usages\" of required type "
          + "\"[ReportUsageBaseInput!]!\" was not provided.");
    }
    List<UsageReport> reports = new ArrayList<>();
    for (int i = 0; i < usages.size(); i++) {
      reports.add(usageReport(usages.get(i), "$input.usages[" + i + "]"));
    }
    List<UsageChange> changes = catalog.reportUsageBulk(reports);
    stats.usageReports(changes.size());
    ArrayNode measurements = JSON.arrayNode();
    for (UsageChange change : changes) {
      publish(change);
      measurements.add(change.measurement());
    }
    ObjectNode body = JSON.objectNode();
    body.putObject("data").set("reportUsageBulk", measurements);
    return Reply.ok(body);
  }

  private Reply reportEvent(JsonNode variables) throws BadInput {
    JsonNode events = variables.path("input").path("usageEvents");
    if (events.isObject()) {
      events = JSON.arrayNode().add(events);
    }
    if (!events.isArray()) {
      throw new BadInput("Variable \"$input\" got invalid value; Field \"usageEvents\" of required type "
          + "\"[UsageEventReportInput!]!\" was not provided.");
    }
    for (int i = 0; i < events.size(); i++) {
      for (String field : List.of("customerId", "eventName", "idempotencyKey")) {
        requireString(events.get(i), field, "$input.usageEvents[" + i + "]");
      }
    }
    stats.events(events.size());
    ObjectNode body = JSON.objectNode();
    body.putObject("data").putNull("reportEvent");
    return Reply.ok(body);
  }

  private void publish(UsageChange change) {
    realtime.publish(Subscription.USAGE_UPDATED, change.usageUpdated());
    change.creditBalanceUpdated().ifPresent(push -> realtime.publish(Subscription.CREDIT_BALANCE_UPDATED, push));
  }

  private static EntityKey entityKey(JsonNode variables, String variable) throws BadInput {
    JsonNode query = variables.path(variable);
    String customerId = requireString(query, "customerId", "$" + variable);
    JsonNode resourceId = query.path("resourceId");
    return EntityKey.of(customerId, resourceId.isTextual() ? resourceId.asText() : null);
  }

  private static UsageReport usageReport(JsonNode input, String variable) throws BadInput {
    String customerId = requireString(input, "customerId", variable);
    String featureId = requireString(input, "featureId", variable);
    JsonNode value = input.path("value");
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw new BadInput("Variable \"" + variable + "\" got invalid value; Field \"value\" of required type "
          + "\"Float!\" was not provided or is not a number.");
    }
    String behavior = input.path("updateBehavior").asText("DELTA");
    if (!behavior.equals("DELTA") && !behavior.equals("SET")) {
      throw new BadInput("Variable \"" + variable + "\" got invalid value \"" + behavior
          + "\" at \"updateBehavior\"; Value \"" + behavior + "\" does not exist in \"UsageUpdateBehavior\" enum.");
    }
    Optional<Instant> createdAt = Optional.empty();
    if (input.path("createdAt").isTextual()) {
      try {
        createdAt = Optional.of(Instant.parse(input.get("createdAt").asText()));
      } catch (DateTimeParseException e) {
        throw new BadInput("Variable \"" + variable + "\" got invalid value at \"createdAt\"; "
            + "DateTime cannot represent an invalid date-time-string " + input.get("createdAt") + ".");
      }
    }
    JsonNode resourceId = input.path("resourceId");
    return new UsageReport(EntityKey.of(customerId, resourceId.isTextual() ? resourceId.asText() : null),
        featureId, value.asDouble(), behavior.equals("SET"), createdAt);
  }

  private static String requireString(JsonNode object, String field, String variable) throws BadInput {
    JsonNode value = object.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new BadInput("Variable \"" + variable + "\" got invalid value; Field \"" + field
          + "\" of required type \"String!\" was not provided.");
    }
    return value.asText();
  }

  private static Reply syntaxError(GraphqlDocument.SyntaxError error) {
    return new Reply.Json(400, ApiErrors.body(ApiErrors.PARSE_FAILED, error.message(), Optional.of(error)));
  }
}
