package dev.stiggsidecar.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stiggsidecar.emulator.faults.Faults;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The graphql-transport-ws protocol and the pushes that admin changes cause. */
class RealtimeTest {

  private static final String KEY = "test-key";

  private StiggEmulator emulator;
  private HttpProbe http;

  @BeforeEach
  void start() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    http = new HttpProbe(emulator.baseUri());
  }

  @AfterEach
  void stop() throws Exception {
    emulator.close();
  }

  @Test
  void handshakeSelectsTheSubprotocolAndAnswersPings() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      assertThat(ws.subprotocol()).isEqualTo("graphql-transport-ws");
      ws.initialise(KEY);
      ws.send("{\"type\":\"ping\"}");
      assertThat(ws.next().toString()).isEqualTo("{\"type\":\"pong\"}");
    }
  }

  @Test
  void aWrongKeyClosesWith4401InvalidApiKey() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.send("{\"type\":\"connection_init\",\"payload\":{\"headers\":{\"x-api-key\":\"wrong\"}}}");
      assertThat(ws.awaitClose()).isEqualTo(new WsProbe.Close(4401, "Invalid API key"));
    }
  }

  @Test
  void protocolViolationsCloseWithGraphqlWsCodes() throws Exception {
    try (WsProbe early = WsProbe.connect(emulator)) {
      early.subscribe("s1", "OnEntitlementsUpdated");
      assertThat(early.awaitClose()).isEqualTo(new WsProbe.Close(4401, "Unauthorized"));
    }
    try (WsProbe twice = WsProbe.connect(emulator)) {
      twice.initialise(KEY);
      twice.send("{\"type\":\"connection_init\",\"payload\":{}}");
      assertThat(twice.awaitClose()).isEqualTo(new WsProbe.Close(4429, "Too many initialisation requests"));
    }
    try (WsProbe duplicate = WsProbe.connect(emulator)) {
      duplicate.initialise(KEY);
      duplicate.subscribe("s1", "OnUsageUpdated");
      duplicate.subscribe("s1", "OnUsageUpdated");
      assertThat(duplicate.awaitClose()).isEqualTo(new WsProbe.Close(4409, "Subscriber for s1 already exists"));
    }
    try (WsProbe garbage = WsProbe.connect(emulator)) {
      garbage.send("not json");
      assertThat(garbage.awaitClose()).isEqualTo(new WsProbe.Close(4400, "Invalid message received"));
    }
    try (WsProbe noProtocol = WsProbe.connectWithoutSubprotocol(emulator)) {
      assertThat(noProtocol.awaitClose()).isEqualTo(new WsProbe.Close(4406, "Subprotocol not acceptable"));
    }
    try (WsProbe silent = WsProbe.connect(emulator)) {
      assertThat(silent.awaitClose()).isEqualTo(new WsProbe.Close(4408, "Connection initialisation timeout"));
    }
  }

  @Test
  void anUnknownSubscriptionGetsAnErrorMessage() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
      ws.subscribe("s9", "OnSomethingElse");
      JsonNode error = ws.next();
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("id").asText()).isEqualTo("s9");
      assertThat(error.at("/payload/0/message").asText()).contains("OnEntitlementsUpdated");
    }
  }

  @Test
  void adminChangesArePushedToTheMatchingSubscriptions() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
      ws.subscribe("e", "OnEntitlementsUpdated");
      ws.subscribe("u", "OnUsageUpdated");
      ws.subscribe("p", "OnPackagePublished");
      ws.subscribe("c", "OnCreditBalanceUpdated");
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.stats().websocketsOpen() == 1);

      admin("PUT", "/admin/customers/acme?resourceId=ws-1",
          "{\"entitlements\":[{\"feature\":{\"refId\":\"f\",\"featureType\":\"BOOLEAN\"}}]}");
      JsonNode entitlements = ws.next();
      assertThat(entitlements.get("id").asText()).isEqualTo("e");
      assertThat(entitlements.get("type").asText()).isEqualTo("next");
      JsonNode pushed = entitlements.at("/payload/data/entitlementsUpdated");
      assertThat(pushed.get("customerId").asText()).isEqualTo("acme");
      assertThat(pushed.get("resourceId").asText()).isEqualTo("ws-1");
      assertThat(pushed.at("/entitlements/0/feature/refId").asText()).isEqualTo("f");
      assertThat(pushed.at("/entitlements/0/validUntil").isNull()).isTrue();

      admin("POST", "/admin/customers/acme/usage", "{\"featureId\":\"feature-api-calls\",\"currentUsage\":12,\"resourceId\":null}");
      JsonNode usage = ws.next();
      assertThat(usage.get("id").asText()).isEqualTo("u");
      assertThat(usage.at("/payload/data/usageUpdated/usage/currentUsage").asInt()).isEqualTo(12);
      assertThat(usage.at("/payload/data/usageUpdated/entitlement/feature/refId").asText()).isEqualTo("feature-api-calls");

      admin("POST", "/admin/packages/publish", "{\"migrationType\":\"ALL_CUSTOMERS\"}");
      assertThat(ws.next().at("/payload/data/packagePublished/migrationType").asText()).isEqualTo("ALL_CUSTOMERS");

      admin("POST", "/admin/customers/hooli/credits", "{\"currencyId\":\"ai-credits\",\"currentBalance\":0}");
      JsonNode credits = ws.next();
      assertThat(credits.at("/payload/data/creditBalanceUpdated/currency/currencyId").asText()).isEqualTo("ai-credits");
      assertThat(credits.at("/payload/data/creditBalanceUpdated/currentBalance").asInt()).isZero();

      ws.send("{\"id\":\"u\",\"type\":\"complete\"}");
      // Messages on one connection are handled in order: once the pong is back, so is the complete.
      ws.send("{\"type\":\"ping\"}");
      assertThat(ws.next().get("type").asText()).isEqualTo("pong");
      admin("POST", "/admin/customers/acme/usage", "{\"featureId\":\"feature-api-calls\",\"currentUsage\":13}");
      admin("POST", "/admin/packages/publish", "{\"migrationType\":\"NEW_CUSTOMERS\"}");
      assertThat(ws.next().get("id").asText()).as("completed subscription receives nothing").isEqualTo("p");
    }
  }

  @Test
  void reportUsageOverGraphqlIsPushed() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
      ws.subscribe("u", "OnUsageUpdated");
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.stats().websocketsOpen() == 1);

      http.graphql(KEY, "ReportUsage", "mutation ReportUsage($input: ReportUsageInput!) { reportUsage(input: $input) { id } }",
          "{\"input\":{\"customerId\":\"globex\",\"featureId\":\"feature-api-calls\",\"value\":1}}");

      assertThat(ws.next().at("/payload/data/usageUpdated/usage/currentUsage").asInt()).isEqualTo(1000);
    }
  }

  @Test
  void droppingWebsocketsClosesThemAndRefusesNewOnesUntilCleared() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
      emulator.setFaults(new Faults(0, 0, 500, false, true, false));
      assertThat(ws.awaitClose().code()).isEqualTo(1012);
    }
    assertThat(catchUpgradeFailure()).isTrue();

    emulator.setFaults(Faults.NONE);
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
    }
  }

  @Test
  void aRejectedKeyClosesOpenWebsocketsAndRefusesTheKeyUntilCleared() throws Exception {
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
      emulator.setFaults(new Faults(0, 0, 500, false, false, true));
      assertThat(ws.awaitClose()).isEqualTo(new WsProbe.Close(4401, "Invalid API key"));
    }
    try (WsProbe again = WsProbe.connect(emulator)) {
      again.send("{\"type\":\"connection_init\",\"payload\":{\"headers\":{\"x-api-key\":\"" + KEY + "\"}}}");
      assertThat(again.awaitClose()).isEqualTo(new WsProbe.Close(4401, "Invalid API key"));
    }

    emulator.setFaults(Faults.NONE);
    try (WsProbe ws = WsProbe.connect(emulator)) {
      ws.initialise(KEY);
    }
  }

  private boolean catchUpgradeFailure() {
    try (WsProbe ignored = WsProbe.connect(emulator)) {
      return false;
    } catch (java.util.concurrent.CompletionException e) {
      return true;
    }
  }

  private void admin(String method, String path, String body) throws Exception {
    HttpProbe.Answer answer = http.send(method, path, Optional.empty(), body);
    assertThat(answer.status()).as(method + " " + path + " " + answer.body()).isEqualTo(204);
  }
}
