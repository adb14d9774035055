package dev.stiggsidecar.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.api.model.OperatorDefaults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RenderCommandTest {

  private static final OperatorDefaults DEFAULTS = new OperatorDefaults("sidecar:1", "pcache:1", "redis:7");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void rendersTheExample() throws IOException {
    String example = Files.readString(Path.of(System.getProperty("manifests.dir"), "examples", "stiggsidecar.yaml"));
    assertThat(run(example)).isZero();
    assertThat(kinds()).containsExactly("ConfigMap", "Deployment", "Service", "NetworkPolicy", "Deployment",
        "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy");
    assertThat(err.toString(StandardCharsets.UTF_8)).as("the password Secret is named, never rendered")
        .contains("Secret default-redis-auth", "kubectl -n shop create secret generic default-redis-auth");
    assertThat(kinds()).doesNotContain("Secret");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("name: \"default-redis\"", "namespace: \"shop\"",
        "REDIS_ENVIRONMENT_PREFIX: \"shop-production\"", "image: \"pcache:1\"");
  }

  /**
   * Everything {@code render} prints for the example, byte for byte. A deliberate change of the
   * rendered objects updates the file: the test writes what it got to {@code target/golden/}.
   */
  @Test
  void rendersTheExampleExactlyAsTheGoldenFile() throws IOException {
    String example = Files.readString(Path.of(System.getProperty("manifests.dir"), "examples", "stiggsidecar.yaml"));
    assertThat(run(example)).isZero();
    String rendered = out.toString(StandardCharsets.UTF_8);
    Path actual = Files.createDirectories(Path.of("target", "golden")).resolve("render-stiggsidecar.yaml");
    Files.writeString(actual, rendered);
    assertThat(rendered).as("differs from src/test/resources/golden/render-stiggsidecar.yaml; what was rendered is in %s",
        actual.toAbsolutePath()).isEqualTo(Files.readString(Path.of("src", "test", "resources", "golden",
        "render-stiggsidecar.yaml")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      memory only                 | {}                                                                   | ConfigMap
      external redis              | {redis: {external: {host: r.example, tls: true, passwordSecretRef: {name: r, key: p}}, keyPrefix: p}} | ConfigMap
      managed redis               | {redis: {managed: {}, keyPrefix: p}}                                 | ConfigMap,Deployment,Service,NetworkPolicy
      """)
  void rendersEachCacheChoice(String name, String cache, String expectedKinds) {
    assertThat(run(resource("cache: " + cache))).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(kinds()).containsExactly(expectedKinds.split(","));
  }

  @Test
  void invalidSpecListsEveryProblemAndFails() {
    int code = run(resource("cache: {redis: {keyPrefix: p}}\n  persistentCache: {enabled: true}\n  fallbackEntitlements: {\"bad id\": {hasAccess: true}}"));
    assertThat(code).isEqualTo(2);
    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("spec.cache.redis: set exactly one of managed")
        .contains("spec.fallbackEntitlements.bad id: not a feature id");
  }

  @Test
  void fileWithoutStiggSidecarIsAnError() {
    assertThat(run("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no StiggSidecar");
  }

  private int run(String yaml) {
    return new RenderCommand(DEFAULTS).run(yaml, "test.yaml", "default",
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String resource(String specLines) {
    return """
        apiVersion: sidecar.stigg.io/v1alpha1
        kind: StiggSidecar
        metadata:
          name: s
        spec:
          apiKeySecretRef: {name: k, key: SERVER_API_KEY}
          %s
        """.formatted(specLines);
  }

  private java.util.List<String> kinds() {
    return out.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("kind: "))
        .map(line -> line.substring("kind: ".length()).replace("\"", "")).toList();
  }
}
