package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.NodeSdk;
import dev.stiggsidecar.emulator.StiggEmulator;
import io.stigg.sidecar.proto.v1.AccessDeniedReason;
import io.stigg.sidecar.proto.v1.BooleanEntitlementFallback;
import io.stigg.sidecar.proto.v1.BooleanEntitlementOptions;
import io.stigg.sidecar.proto.v1.EnumEntitlementOptions;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementFallback;
import io.stigg.sidecar.proto.v1.GetEntitlementOptions;
import io.stigg.sidecar.proto.v1.GetEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.MeteredEntitlementFallback;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import io.stigg.sidecar.proto.v1.NumericEntitlementFallback;
import io.stigg.sidecar.proto.v1.NumericEntitlementOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same checks through Stigg's official Node SDK 3.95.0 and through the sidecar, against the same
 * emulator: {@code has_access}, {@code access_denied_reason}, {@code is_fallback} and the values
 * must agree, because applications move between the two.
 */
class DifferentialIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "differential-key";
  private static final String FALLBACK = "{\"feature-seats\":{\"hasAccess\":true,\"value\":9},"
      + "\"feature-api-calls\":{\"hasAccess\":true,\"usageLimit\":77}}";

  /** One check: how to ask the SDK (JSON) and the sidecar (gRPC), and the response as SDK-like JSON. */
  private record Scenario(String name, String method, String customerId, String featureId, String resourceId,
      ObjectNode sdkOptions) {}

  @TestFactory
  Stream<DynamicTest> theSidecarAnswersLikeStiggsSdk() throws Exception {
    NodeSdk sdk = NodeSdk.locate();
    List<Scenario> scenarios = scenarios();
    try (StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY))) {
      new AdminClient(emulator.baseUri()).putEntitlementsWithFault("brokenco", "[]", "graphql-errors");
      Path file = Files.createTempFile("scenarios-", ".json");
      ArrayNode list = JSON.createArrayNode();
      for (Scenario scenario : scenarios) {
        ObjectNode item = list.addObject().put("name", scenario.name()).put("method", scenario.method())
            .put("customerId", scenario.customerId()).put("featureId", scenario.featureId());
        if (scenario.resourceId() != null) {
          item.put("resourceId", scenario.resourceId());
        }
        if (scenario.sdkOptions() != null) {
          item.set("options", scenario.sdkOptions());
        }
      }
      Files.writeString(file, list.toString());
      Map<String, JsonNode> sdkResults = new LinkedHashMap<>();
      for (String line : sdk.run("differential.mjs", Map.of("EMULATOR_URL", emulator.baseUri().toString(),
          "EMULATOR_API_KEY", KEY, "SCENARIOS_FILE", file.toString(), "ENTITLEMENTS_FALLBACK", FALLBACK))) {
        JsonNode node = JSON.readTree(line);
        if (node.has("name")) {
          sdkResults.put(node.get("name").asText(), node.get("result"));
        }
      }
      Files.delete(file);
      Map<String, JsonNode> sidecarResults = new LinkedHashMap<>();
      try (SidecarHarness sidecar = SidecarHarness.start(emulator.baseUri(), KEY,
          Map.of("ENTITLEMENTS_FALLBACK", FALLBACK))) {
        for (Scenario scenario : scenarios) {
          sidecarResults.put(scenario.name(), ask(sidecar, scenario));
        }
      }
      List<DynamicTest> tests = new ArrayList<>();
      for (Scenario scenario : scenarios) {
        tests.add(DynamicTest.dynamicTest(scenario.name(), () -> compare(sdkResults.get(scenario.name()),
            sidecarResults.get(scenario.name()))));
      }
      return tests.stream();
    }
  }

  private static void compare(JsonNode sdk, JsonNode sidecar) {
    assertThat(sdk).as("the SDK answered").isNotNull();
    String context = "SDK " + sdk + "\nsidecar " + sidecar;
    assertThat(sidecar.get("hasAccess").asBoolean()).as("has_access; " + context).isEqualTo(sdk.path("hasAccess").asBoolean());
    assertThat(sidecar.get("isFallback").asBoolean()).as("is_fallback; " + context)
        .isEqualTo(sdk.path("isFallback").asBoolean());
    String reason = sdk.path("accessDeniedReason").asText("");
    assertThat(sidecar.path("accessDeniedReason").asText("")).as("access_denied_reason; " + context)
        .isEqualTo(reason.isEmpty() ? "" : "ACCESS_DENIED_REASON_" + reason.replaceAll("([a-z])([A-Z])", "$1_$2")
            .toUpperCase(java.util.Locale.ROOT));
    // Every value the sidecar's response type carries must agree; optional ones must agree on presence too.
    for (java.util.Iterator<String> it = sidecar.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (List.of("hasAccess", "isFallback", "accessDeniedReason").contains(field)) {
        continue;
      }
      if (sdk.has(field)) {
        assertThat(sidecar.get(field)).as(field + "; " + context).isEqualTo(sdk.get(field).isNumber()
            ? JSON.getNodeFactory().numberNode(sdk.get(field).asDouble()) : sdk.get(field));
      }
    }
    for (String optional : List.of("value", "usageLimit")) {
      if (sdk.has(optional) && expectsField(sidecar, optional)) {
        assertThat(sidecar.has(optional)).as(optional + " present; " + context).isTrue();
      }
    }
  }

  /** Whether the sidecar's answer is of a type that carries {@code field}. */
  private static boolean expectsField(JsonNode sidecar, String field) {
    return field.equals("value") ? sidecar.has("isUnlimited") && !sidecar.has("currentUsage")
        : sidecar.has("currentUsage");
  }

  /** The sidecar's answer in the SDK's field names, for comparison. */
  private static JsonNode ask(SidecarHarness sidecar, Scenario s) {
    ObjectNode out = JSON.createObjectNode();
    JsonNode options = s.sdkOptions() == null ? JSON.createObjectNode() : s.sdkOptions();
    JsonNode fallback = options.path("fallback");
    switch (s.method()) {
      case "boolean" -> {
        var request = GetBooleanEntitlementRequest.newBuilder().setCustomerId(s.customerId()).setFeatureId(s.featureId());
        if (s.resourceId() != null) {
          request.setResourceId(s.resourceId());
        }
        if (fallback.isObject()) {
          request.setOptions(BooleanEntitlementOptions.newBuilder().setFallback(
              BooleanEntitlementFallback.newBuilder().setHasAccess(fallback.path("hasAccess").asBoolean())));
        }
        var r = sidecar.blocking().getBooleanEntitlement(request.build());
        common(out, r.getHasAccess(), r.getIsFallback(), r.hasAccessDeniedReason(), r.getAccessDeniedReason());
      }
      case "numeric" -> {
        var request = GetNumericEntitlementRequest.newBuilder().setCustomerId(s.customerId()).setFeatureId(s.featureId());
        if (fallback.isObject()) {
          var f = NumericEntitlementFallback.newBuilder().setHasAccess(fallback.path("hasAccess").asBoolean());
          if (fallback.has("value")) {
            f.setValue(fallback.get("value").asInt());
          }
          request.setOptions(NumericEntitlementOptions.newBuilder().setFallback(f));
        }
        var r = sidecar.blocking().getNumericEntitlement(request.build());
        common(out, r.getHasAccess(), r.getIsFallback(), r.hasAccessDeniedReason(), r.getAccessDeniedReason());
        if (r.getEntitlement().hasValue()) {
          out.put("value", (double) r.getEntitlement().getValue());
        }
        out.put("isUnlimited", r.getEntitlement().getIsUnlimited());
      }
      case "metered" -> {
        var request = GetMeteredEntitlementRequest.newBuilder().setCustomerId(s.customerId()).setFeatureId(s.featureId());
        if (s.resourceId() != null) {
          request.setResourceId(s.resourceId());
        }
        var meteredOptions = MeteredEntitlementOptions.newBuilder();
        if (options.has("requestedUsage")) {
          meteredOptions.setRequestedUsage(options.get("requestedUsage").asDouble());
        }
        if (fallback.isObject()) {
          meteredOptions.setFallback(MeteredEntitlementFallback.newBuilder().setHasAccess(fallback.path("hasAccess").asBoolean()));
        }
        request.setOptions(meteredOptions);
        var r = sidecar.blocking().getMeteredEntitlement(request.build());
        common(out, r.getHasAccess(), r.getIsFallback(), r.hasAccessDeniedReason(), r.getAccessDeniedReason());
        if (r.getEntitlement().hasUsageLimit()) {
          out.put("usageLimit", r.getEntitlement().getUsageLimit());
        }
        out.put("currentUsage", r.getEntitlement().getCurrentUsage());
        out.put("isUnlimited", r.getEntitlement().getIsUnlimited());
        out.put("requestedUsage", r.getRequestedUsage());
      }
      case "enum" -> {
        var request = GetEnumEntitlementRequest.newBuilder().setCustomerId(s.customerId()).setFeatureId(s.featureId());
        if (s.resourceId() != null) {
          request.setResourceId(s.resourceId());
        }
        var enumOptions = EnumEntitlementOptions.newBuilder();
        options.path("requestedValues").forEach(value -> enumOptions.addRequestedValues(value.asText()));
        request.setOptions(enumOptions);
        var r = sidecar.blocking().getEnumEntitlement(request.build());
        common(out, r.getHasAccess(), r.getIsFallback(), r.hasAccessDeniedReason(), r.getAccessDeniedReason());
        ArrayNode values = out.putArray("enumValues");
        r.getEntitlement().getEnumValuesList().forEach(values::add);
      }
      case "generic" -> {
        var request = GetEntitlementRequest.newBuilder().setCustomerId(s.customerId()).setFeatureId(s.featureId());
        var genericOptions = GetEntitlementOptions.newBuilder();
        if (options.has("requestedUsage")) {
          genericOptions.setRequestedUsage(options.get("requestedUsage").asDouble());
        }
        if (fallback.isObject()) {
          genericOptions.setFallback(GetEntitlementFallback.newBuilder().setHasAccess(fallback.path("hasAccess").asBoolean()));
        }
        request.setOptions(genericOptions);
        var r = sidecar.blocking().getEntitlement(request.build());
        common(out, r.getHasAccess(), r.getIsFallback(), r.hasAccessDeniedReason(), r.getAccessDeniedReason());
        if (r.hasMetered()) {
          if (r.getMetered().hasUsageLimit()) {
            out.put("usageLimit", r.getMetered().getUsageLimit());
          }
          out.put("currentUsage", r.getMetered().getCurrentUsage());
          out.put("isUnlimited", r.getMetered().getIsUnlimited());
        }
      }
      default -> throw new IllegalArgumentException(s.method());
    }
    return out;
  }

  private static void common(ObjectNode out, boolean hasAccess, boolean isFallback, boolean hasReason,
      AccessDeniedReason reason) {
    out.put("hasAccess", hasAccess);
    out.put("isFallback", isFallback);
    if (hasReason) {
      out.put("accessDeniedReason", reason.name());
    }
  }

  private static List<Scenario> scenarios() {
    List<Scenario> list = new ArrayList<>();
    list.add(new Scenario("boolean granted", "boolean", "acme", "feature-sso", null, null));
    list.add(new Scenario("boolean, cancelled subscription", "boolean", "initech", "feature-sso", null, null));
    list.add(new Scenario("boolean, feature not in plan", "boolean", "globex", "feature-sso", null, null));
    list.add(new Scenario("boolean, unknown customer ignores fallbacks", "boolean", "ghost", "feature-sso", null,
        fallback(true)));
    list.add(new Scenario("boolean on a numeric feature: type mismatch", "boolean", "acme", "feature-seats", null,
        fallback(true)));
    list.add(new Scenario("numeric value", "numeric", "acme", "feature-seats", null, null));
    list.add(new Scenario("numeric on a metered feature: global fallback", "numeric", "acme", "feature-api-calls",
        null, null));
    list.add(new Scenario("numeric, known customer without that feature", "numeric", "hooli", "feature-seats", null,
        null));
    list.add(new Scenario("metered within the limit", "metered", "acme", "feature-api-calls", null, usage(5)));
    list.add(new Scenario("metered over the limit", "metered", "globex", "feature-api-calls", null, usage(5)));
    list.add(new Scenario("metered, no requested usage", "metered", "globex", "feature-api-calls", null, null));
    list.add(new Scenario("metered soft limit", "metered", "acme", "feature-storage-gb", null, usage(50)));
    list.add(new Scenario("metered unlimited", "metered", "acme", "feature-projects", null, usage(1e6)));
    list.add(new Scenario("metered daily window", "metered", "acme", "feature-exports", null, usage(2)));
    list.add(new Scenario("metered, resource-scoped", "metered", "acme", "feature-api-calls", "workspace-berlin",
        usage(1)));
    list.add(new Scenario("metered, credit-priced", "metered", "hooli", "feature-ai-generations", null, usage(1)));
    list.add(new Scenario("metered on a boolean feature: default fallback", "metered", "acme", "feature-sso", null,
        usage(1)));
    list.add(new Scenario("enum allowed", "enum", "acme", "feature-region", null, values("eu")));
    list.add(new Scenario("enum mismatch", "enum", "acme", "feature-region", null, values("eu", "apac")));
    list.add(new Scenario("enum, resource-scoped", "enum", "acme", "feature-region", "workspace-berlin", values("us")));
    list.add(new Scenario("generic metered", "generic", "acme", "feature-api-calls", null, usage(1)));
    list.add(new Scenario("generic boolean", "generic", "acme", "feature-sso", null, null));
    list.add(new Scenario("generic unknown feature returns its fallback", "generic", "acme", "feature-nope", null,
        fallback(true)));
    list.add(new Scenario("generic unknown customer returns the fallback", "generic", "ghost", "feature-sso", null, null));
    list.add(new Scenario("Stigg answers errors: global fallback", "metered", "brokenco", "feature-api-calls", null,
        usage(3)));
    list.add(new Scenario("Stigg answers errors: type default", "boolean", "brokenco", "feature-sso", null, null));
    return list;
  }

  private static ObjectNode fallback(boolean hasAccess) {
    ObjectNode options = JSON.createObjectNode();
    options.putObject("fallback").put("hasAccess", hasAccess);
    return options;
  }

  private static ObjectNode usage(double requested) {
    return JSON.createObjectNode().put("requestedUsage", requested);
  }

  private static ObjectNode values(String... values) {
    ObjectNode options = JSON.createObjectNode();
    ArrayNode list = options.putArray("requestedValues");
    for (String value : values) {
      list.add(value);
    }
    return options;
  }
}
