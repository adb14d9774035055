package dev.stiggsidecar.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stiggsidecar.emulator.HttpProbe.Answer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's HTTP surface over a real socket: Edge, GraphQL, admin, faults, stats. */
class EmulatorHttpTest {

  private static final String KEY = "test-key";
  private static final Optional<String> WITH_KEY = Optional.of(KEY);
  private static final String GET_ENTITLEMENTS = "query GetEntitlements($query: FetchEntitlementsQuery!) {\n"
      + "  entitlements: cachedEntitlements(query: $query) { ...EntitlementFragment __typename }\n}\n\n"
      + "fragment EntitlementFragment on Entitlement { __typename isGranted }\n";
  private static final String REPORT_USAGE = "mutation ReportUsage($input: ReportUsageInput!) {\n"
      + "  reportUsage(input: $input) { id __typename }\n}\n";

  private StiggEmulator emulator;
  private HttpProbe http;

  @BeforeEach
  void start() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY).withFaultHold(Duration.ofSeconds(1)));
    http = new HttpProbe(emulator.baseUri());
  }

  @AfterEach
  void stop() throws Exception {
    emulator.close();
  }

  @Test
  void edgeServesEntitlementsOfCustomersAndResources() throws Exception {
    Answer acme = http.get("/v1/c/acme/entitlements.json", WITH_KEY);
    Answer workspace = http.get("/v1/c/acme/entitlements.json?resourceId=workspace-berlin", WITH_KEY);
    Answer ghost = http.get("/v1/c/ghost/entitlements.json", WITH_KEY);

    assertThat(acme.status()).isEqualTo(200);
    assertThat(acme.body().at("/data/entitlements")).hasSize(7);
    assertThat(workspace.body().at("/data/entitlements/0/resourceId").asText()).isEqualTo("workspace-berlin");
    assertThat(workspace.body().at("/data/entitlements/0/usageLimit").asInt()).isEqualTo(500);
    assertThat(ghost.body().toString()).isEqualTo("{\"data\":{\"entitlements\":[]}}");
    assertThat(emulator.stats().entitlementFetches("acme")).isEqualTo(1);
    assertThat(emulator.stats().entitlementFetches("acme:workspace-berlin")).isEqualTo(1);
  }

  @Test
  void edgeRejectsAWrongOrMissingKeyWith401() throws Exception {
    assertThat(http.get("/v1/c/acme/entitlements.json", Optional.of("wrong")).status()).isEqualTo(401);
    Answer missing = http.get("/v1/config/server-sdk-configuration.json", Optional.empty());
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body().at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(http.get("/v1/config/server-sdk-configuration.json", WITH_KEY).body().at("/data/sdkConfiguration/sentryDsn").isNull())
        .isTrue();
  }

  @Test
  void graphqlAnswersGetEntitlementsAndState() throws Exception {
    Answer list = http.graphql(KEY, "GetEntitlements", GET_ENTITLEMENTS, "{\"query\":{\"customerId\":\"globex\"}}");
    Answer ghost = http.graphql(KEY, "GetEntitlementsState", "query GetEntitlementsState { x }",
        "{\"query\":{\"customerId\":\"ghost\"}}");
    Answer empty = http.graphql(KEY, "GetEntitlementsState", "query GetEntitlementsState { x }",
        "{\"query\":{\"customerId\":\"umbrella\"}}");

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().at("/data/entitlements")).hasSize(3);
    assertThat(ghost.body().at("/data/entitlementsState/accessDeniedReason").asText()).isEqualTo("CustomerNotFound");
    assertThat(empty.body().at("/data/entitlementsState/accessDeniedReason").asText()).isEqualTo("NoActiveSubscription");
  }

  @Test
  void graphqlWithAWrongKeyIsUnauthenticatedInTheBody() throws Exception {
    Answer answer = http.graphql("wrong", "GetEntitlements", GET_ENTITLEMENTS, "{\"query\":{\"customerId\":\"acme\"}}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().toString())
        .isEqualTo("{\"errors\":[{\"message\":\"Unauthorized\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}],\"data\":null}");
  }

  @Test
  void reportUsageUpdatesUsageAndCountsReports() throws Exception {
    Answer delta = http.graphql(KEY, "ReportUsage", REPORT_USAGE,
        "{\"input\":{\"customerId\":\"acme\",\"featureId\":\"feature-api-calls\",\"value\":2}}");
    Answer set = http.graphql(KEY, "ReportUsage", REPORT_USAGE,
        "{\"input\":{\"customerId\":\"acme\",\"featureId\":\"feature-api-calls\",\"value\":10,\"updateBehavior\":\"SET\","
            + "\"createdAt\":\"2026-01-02T03:04:05.000Z\"}}");
    Answer bulk = http.graphql(KEY, "ReportUsageBulk", "mutation ReportUsageBulk($input: ReportUsageBulkInput!) { x }",
        "{\"input\":{\"usages\":[{\"customerId\":\"acme\",\"featureId\":\"feature-api-calls\",\"value\":1},"
            + "{\"customerId\":\"acme\",\"featureId\":\"feature-api-calls\",\"value\":1,\"resourceId\":\"workspace-berlin\"}]}}");
    Answer events = http.graphql(KEY, "ReportEvent", "mutation ReportEvent($input: UsageEventsReportInput!) { reportEvent(events: $input) }",
        "{\"input\":{\"usageEvents\":[{\"customerId\":\"acme\",\"eventName\":\"api_call\",\"idempotencyKey\":\"k1\"}]}}");

    assertThat(delta.body().at("/data/reportUsage/currentUsage").asInt()).isEqualTo(1202);
    assertThat(delta.body().at("/data/reportUsage/__typename").asText()).isEqualTo("UsageMeasurementWithCurrentUsage");
    assertThat(set.body().at("/data/reportUsage/currentUsage").asInt()).isEqualTo(10);
    assertThat(set.body().at("/data/reportUsage/timestamp").asText()).isEqualTo("2026-01-02T03:04:05.000Z");
    assertThat(bulk.body().at("/data/reportUsageBulk/0/currentUsage").asInt()).isEqualTo(11);
    assertThat(bulk.body().at("/data/reportUsageBulk/1/currentUsage").asInt()).isEqualTo(121);
    assertThat(events.body().toString()).isEqualTo("{\"data\":{\"reportEvent\":null}}");
    JsonNode stats = http.get("/admin/stats", Optional.empty()).body();
    assertThat(stats.get("usageReports").asInt()).isEqualTo(4);
    assertThat(stats.get("events").asInt()).isEqualTo(1);
    assertThat(stats.at("/requests/graphql:ReportUsage").asInt()).isEqualTo(2);
  }

  @Test
  void badGraphqlRequestsGetApolloStyleErrors() throws Exception {
    Answer invalidJson = http.send("POST", "/graphql", WITH_KEY, "{not json");
    Answer noQuery = http.send("POST", "/graphql", WITH_KEY, "{\"operationName\":\"GetEntitlements\"}");
    Answer syntax = http.graphql(KEY, "GetEntitlements", "query GetEntitlements { a", "{}");
    Answer wrongName = http.graphql(KEY, "Other", GET_ENTITLEMENTS, "{}");
    Answer unknown = http.graphql(KEY, "GetPaywall", "query GetPaywall { paywall { id } }", "{}");
    Answer missingVariable = http.graphql(KEY, "GetEntitlements", GET_ENTITLEMENTS, "{\"query\":{}}");
    Answer unknownCustomer = http.graphql(KEY, "ReportUsage", REPORT_USAGE,
        "{\"input\":{\"customerId\":\"ghost\",\"featureId\":\"feature-api-calls\",\"value\":1}}");

    assertThat(invalidJson.status()).isEqualTo(400);
    assertThat(invalidJson.body().at("/errors/0/extensions/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(noQuery.status()).isEqualTo(400);
    assertThat(syntax.status()).isEqualTo(400);
    assertThat(syntax.body().at("/errors/0/message").asText()).isEqualTo("Syntax Error: Expected \"}\", found <EOF>.");
    assertThat(syntax.body().at("/errors/0/locations/0/column").asInt()).isEqualTo(26);
    assertThat(wrongName.body().at("/errors/0/message").asText()).isEqualTo("Unknown operation named \"Other\".");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().at("/errors/0/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
    assertThat(missingVariable.status()).isEqualTo(400);
    assertThat(missingVariable.body().at("/errors/0/message").asText()).contains("\"customerId\" of required type \"String!\"");
    assertThat(unknownCustomer.status()).isEqualTo(200);
    assertThat(unknownCustomer.body().at("/errors/0/message").asText()).isEqualTo("Customer not found: ghost");
  }

  @Test
  void customerFaultsBreakOnlyThatCustomersFetches() throws Exception {
    put("acme", "{\"entitlements\":[],\"fault\":\"graphql-errors\"}");
    put("globex", "{\"entitlements\":[],\"fault\":\"http-500\"}");
    put("initech", "{\"entitlements\":[],\"fault\":\"timeout\"}");

    Answer errors = http.get("/v1/c/acme/entitlements.json", WITH_KEY);
    assertThat(errors.status()).isEqualTo(200);
    assertThat(errors.body().get("errors")).isNotEmpty();
    assertThat(http.get("/v1/c/globex/entitlements.json", WITH_KEY).status()).isEqualTo(500);
    assertThat(http.get("/v1/c/initech/entitlements.json", WITH_KEY).status()).isEqualTo(504);
    assertThat(http.graphql(KEY, "GetEntitlements", GET_ENTITLEMENTS, "{\"query\":{\"customerId\":\"globex\"}}").status())
        .isEqualTo(500);
    assertThat(http.get("/v1/c/hooli/entitlements.json", WITH_KEY).status()).isEqualTo(200);

    put("acme", "{\"entitlements\":[]}");
    assertThat(http.get("/v1/c/acme/entitlements.json", WITH_KEY).body().has("errors")).isFalse();
  }

  @Test
  void globalFaultsApplyToStiggEndpointsButNotToAdmin() throws Exception {
    admin("POST", "/admin/faults", "{\"down\":true}");
    assertThat(http.get("/v1/c/acme/entitlements.json", WITH_KEY).status()).isEqualTo(503);
    assertThat(http.get("/admin/faults", Optional.empty()).body().get("down").asBoolean()).isTrue();

    admin("POST", "/admin/faults", "{\"errorRate\":1.0,\"errorStatus\":502}");
    assertThat(http.graphql(KEY, "GetEntitlements", GET_ENTITLEMENTS, "{\"query\":{\"customerId\":\"acme\"}}").status())
        .isEqualTo(502);

    admin("POST", "/admin/faults", "{\"latencyMs\":300}");
    long started = System.nanoTime();
    assertThat(http.get("/v1/c/acme/entitlements.json", WITH_KEY).status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    admin("POST", "/admin/faults", "{\"rejectKey\":true}");
    assertThat(http.get("/v1/c/acme/entitlements.json", WITH_KEY).status()).as("the right key, refused").isEqualTo(401);
    assertThat(http.graphql(KEY, "GetEntitlements", GET_ENTITLEMENTS, "{\"query\":{\"customerId\":\"acme\"}}")
        .body().toString()).contains("UNAUTHENTICATED");

    admin("DELETE", "/admin/faults", null);
    assertThat(http.get("/v1/c/acme/entitlements.json", WITH_KEY).status()).isEqualTo(200);
  }

  @Test
  void invalidAdminRequestsSayWhatIsWrong() throws Exception {
    Answer badFault = http.send("POST", "/admin/faults", Optional.empty(), "{\"errorRate\":2,\"slow\":true}");
    Answer badEntitlement = http.send("PUT", "/admin/customers/acme", Optional.empty(),
        "{\"entitlements\":[{\"feature\":{\"refId\":\"x\",\"featureType\":\"BOOLEAN\"},\"hasSoftLimit\":\"yes\"}]}");
    Answer badCustomerFault = http.send("PUT", "/admin/customers/acme", Optional.empty(),
        "{\"entitlements\":[],\"fault\":\"slow\"}");
    Answer unknownPath = http.send("POST", "/admin/nothing", Optional.empty(), "{}");

    assertThat(badFault.status()).isEqualTo(400);
    assertThat(badFault.body().get("error").asText())
        .contains("slow: unknown fault").contains("errorRate: must be a number from 0.0 to 1.0");
    assertThat(badEntitlement.body().get("error").asText())
        .isEqualTo("entitlements[0].hasSoftLimit: must be true or false, got \"yes\"");
    assertThat(badCustomerFault.body().get("error").asText())
        .isEqualTo("fault: \"slow\" is not one of graphql-errors, http-500, timeout");
    assertThat(unknownPath.status()).isEqualTo(404);
  }

  @Test
  void adminDeleteForgetsTheCustomerAndStatsCanBeReset() throws Exception {
    assertThat(http.send("DELETE", "/admin/customers/acme", Optional.empty(), null).status()).isEqualTo(204);
    assertThat(http.get("/v1/c/acme/entitlements.json", WITH_KEY).body().at("/data/entitlements")).isEmpty();
    assertThat(emulator.stats().requests("edge:entitlements")).isEqualTo(1);

    assertThat(http.send("DELETE", "/admin/stats", Optional.empty(), null).status()).isEqualTo(204);
    assertThat(emulator.stats().requests("edge:entitlements")).isZero();
  }

  private void put(String customer, String body) throws Exception {
    admin("PUT", "/admin/customers/" + customer, body);
  }

  private void admin(String method, String path, String body) throws Exception {
    Answer answer = http.send(method, path, Optional.empty(), body);
    assertThat(answer.status()).as(method + " " + path + " " + answer.body()).isEqualTo(204);
  }
}
