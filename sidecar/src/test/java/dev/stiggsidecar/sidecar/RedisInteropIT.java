package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.NodeSdk;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.redistest.RedisProcess;
import io.stigg.sidecar.proto.v1.EnumEntitlementOptions;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stigg's official Node SDK 3.95.0 in Redis mode and the sidecar share one Redis: what either
 * writes, the other reads (no fetch from Stigg) and answers alike.
 */
class RedisInteropIT {

  private static final String KEY = "interop-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSdkAndTheSidecarReadEachOthersEntries() throws Exception {
    NodeSdk sdk = NodeSdk.locate();
    try (StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
        RedisProcess redis = RedisProcess.start()) {
      Map<String, String> redisEnv = Map.of("REDIS_ENVIRONMENT_PREFIX", "interop", "REDIS_HOST", "127.0.0.1",
          "REDIS_PORT", String.valueOf(redis.port()));

      // The SDK fetches globex and writes Redis; the sidecar must answer from what the SDK wrote.
      Map<String, JsonNode> sdkGlobex = runSdk(sdk, emulator, redis, "globex");
      assertThat(emulator.stats().entitlementFetches("globex")).isEqualTo(1);
      try (SidecarHarness sidecar = SidecarHarness.start(emulator.baseUri(), KEY, redisEnv)) {
        Map<String, JsonNode> sidecarGlobex = ask(sidecar, "globex");
        assertThat(emulator.stats().entitlementFetches("globex")).as("the sidecar read the SDK's entry").isEqualTo(1);
        assertSame(sdkGlobex, sidecarGlobex);

        // The sidecar fetches acme and writes Redis; the SDK must answer from what the sidecar wrote.
        Map<String, JsonNode> sidecarAcme = ask(sidecar, "acme");
        assertThat(emulator.stats().entitlementFetches("acme")).isEqualTo(1);
        Map<String, JsonNode> sdkAcme = runSdk(sdk, emulator, redis, "acme");
        assertThat(emulator.stats().entitlementFetches("acme")).as("the SDK read the sidecar's entry").isEqualTo(1);
        assertSame(sdkAcme, sidecarAcme);
      }
    }
  }

  private static void assertSame(Map<String, JsonNode> sdk, Map<String, JsonNode> sidecar) {
    assertThat(sdk.keySet()).containsExactlyInAnyOrderElementsOf(sidecar.keySet());
    sdk.forEach((name, result) -> {
      JsonNode ours = sidecar.get(name);
      assertThat(ours.get("hasAccess").asBoolean()).as(name + " hasAccess; SDK " + result).isEqualTo(result.path("hasAccess").asBoolean());
      for (String field : new String[] {"value", "usageLimit", "currentUsage"}) {
        if (result.has(field)) {
          assertThat(ours.path(field).asDouble()).as(name + " " + field + "; SDK " + result).isEqualTo(result.get(field).asDouble());
        }
      }
      if (result.has("enumValues")) {
        assertThat(ours.path("enumValues")).as(name + " enumValues").isEqualTo(result.get("enumValues"));
      }
    });
  }

  private static Map<String, JsonNode> runSdk(NodeSdk sdk, StiggEmulator emulator, RedisProcess redis, String customer)
      throws Exception {
    ArrayNode scenarios = JSON.createArrayNode();
    scenarios.addObject().put("name", "numeric").put("method", "numeric").put("customerId", customer)
        .put("featureId", "feature-seats");
    scenarios.addObject().put("name", "metered").put("method", "metered").put("customerId", customer)
        .put("featureId", "feature-api-calls").putObject("options").put("requestedUsage", 1);
    scenarios.addObject().put("name", "enum").put("method", "enum").put("customerId", customer)
        .put("featureId", "feature-region").putObject("options").putArray("requestedValues").add("us");
    Path file = Files.createTempFile("interop-", ".json");
    Files.writeString(file, scenarios.toString());
    Map<String, JsonNode> results = new HashMap<>();
    for (String line : sdk.run("differential.mjs", Map.of("EMULATOR_URL", emulator.baseUri().toString(),
        "EMULATOR_API_KEY", KEY, "SCENARIOS_FILE", file.toString(), "REDIS_PORT", String.valueOf(redis.port()),
        "REDIS_ENVIRONMENT_PREFIX", "interop"))) {
      JsonNode node = JSON.readTree(line);
      if (node.has("name")) {
        results.put(node.get("name").asText(), node.get("result"));
      }
    }
    Files.delete(file);
    return results;
  }

  private static Map<String, JsonNode> ask(SidecarHarness sidecar, String customer) {
    Map<String, JsonNode> results = new HashMap<>();
    var numeric = sidecar.blocking().getNumericEntitlement(GetNumericEntitlementRequest.newBuilder()
        .setCustomerId(customer).setFeatureId("feature-seats").build());
    results.put("numeric", JSON.createObjectNode().put("hasAccess", numeric.getHasAccess())
        .put("value", numeric.getEntitlement().getValue()));
    var metered = sidecar.blocking().getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder()
        .setCustomerId(customer).setFeatureId("feature-api-calls")
        .setOptions(MeteredEntitlementOptions.newBuilder().setRequestedUsage(1)).build());
    results.put("metered", JSON.createObjectNode().put("hasAccess", metered.getHasAccess())
        .put("usageLimit", metered.getEntitlement().getUsageLimit())
        .put("currentUsage", metered.getEntitlement().getCurrentUsage()));
    var region = sidecar.blocking().getEnumEntitlement(GetEnumEntitlementRequest.newBuilder().setCustomerId(customer)
        .setFeatureId("feature-region").setOptions(EnumEntitlementOptions.newBuilder().addRequestedValues("us")).build());
    var enumResult = JSON.createObjectNode().put("hasAccess", region.getHasAccess());
    ArrayNode values = enumResult.putArray("enumValues");
    region.getEntitlement().getEnumValuesList().forEach(values::add);
    results.put("enum", enumResult);
    return results;
  }
}
