package dev.stiggsidecar.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Stigg's official Node server SDK 3.95.0, pointed at the emulator, must initialise, fetch over
 * Edge and GraphQL, decide, report usage and follow real-time pushes exactly as against Stigg.
 * Each check of {@code emulator-conformance.mjs} becomes one test here.
 */
class NodeSdkConformanceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXPECTED_CHECKS = 17;

  @TestFactory
  Stream<DynamicTest> officialNodeSdkAcceptsTheEmulator() throws Exception {
    NodeSdk sdk = NodeSdk.locate();
    List<String> lines;
    try (StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests("conformance-key"))) {
      lines = sdk.run("emulator-conformance.mjs", Map.of(
          "EMULATOR_URL", emulator.baseUri().toString(), "EMULATOR_API_KEY", "conformance-key"));
    }
    List<JsonNode> checks = new ArrayList<>();
    boolean done = false;
    for (String line : lines) {
      JsonNode node = JSON.readTree(line);
      if (node.has("check")) {
        checks.add(node);
      }
      done |= node.path("done").asBoolean();
    }
    boolean completed = done;
    Stream<DynamicTest> each = checks.stream().map(check -> DynamicTest.dynamicTest(check.get("check").asText(),
        () -> assertThat(check.get("ok").asBoolean()).as(check.get("detail").toPrettyString()).isTrue()));
    DynamicTest whole = DynamicTest.dynamicTest("the suite ran every check to the end", () -> {
      assertThat(completed).as("the script printed its done line").isTrue();
      assertThat(checks).hasSize(EXPECTED_CHECKS);
    });
    return Stream.concat(each, Stream.of(whole));
  }
}
