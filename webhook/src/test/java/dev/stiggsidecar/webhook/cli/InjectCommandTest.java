package dev.stiggsidecar.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.api.model.OperatorDefaults;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InjectCommandTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("manifests.dir"), "examples");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void injectsTheExampleDeploymentReferencingTheOperatorsObjects() throws IOException {
    int code = run(Files.readString(EXAMPLES.resolve("annotated-deployment.yaml")), true);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<Object> documents = documents();
    assertThat(documents).singleElement().isInstanceOf(Deployment.class);
    PodSpec pod = ((Deployment) documents.get(0)).getSpec().getTemplate().getSpec();
    Container sidecar = pod.getInitContainers().get(0);
    assertThat(sidecar.getName()).isEqualTo("stigg-sidecar");
    assertThat(sidecar.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("default-sidecar-env");
    assertThat(sidecar.getEnv().get(0).getValueFrom().getSecretKeyRef().getName()).isEqualTo("stigg-api-key");
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("checkout");

    // Its own output again: unchanged.
    String first = out.toString(StandardCharsets.UTF_8);
    out.reset();
    assertThat(run(first, true)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(first);
  }

  @Test
  void cronJobsGetAClassicSidecarWhenNativeIsOff() {
    String cronJob = """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: report, image: report:1}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: untouched}
        spec: {ports: [{port: 80}]}
        """;
    assertThat(run(cronJob, false)).isZero();
    List<Object> documents = documents();
    assertThat(documents).hasSize(2);
    PodSpec pod = ((CronJob) documents.get(0)).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("report", "stigg-sidecar");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("name: untouched");
  }

  @Test
  void invalidOverrideIsAnErrorNamingTheWorkload() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, annotations: {sidecar.stigg.io/log-level: loud}}
        spec: {containers: [{name: a, image: a:1}]}
        """;
    assertThat(run(pod, true)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Pod p: sidecar injection: annotation sidecar.stigg.io/log-level");
    assertThat(out.size()).isZero();
  }

  @Test
  void optOutIsReadAsTheWebhookReadsIt() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, annotations: {sidecar.stigg.io/inject: " False "}}
        spec: {containers: [{name: a, image: a:1}]}
        """;
    assertThat(run(pod, true)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("stigg-sidecar");
  }

  /**
   * Everything {@code inject} prints for the example, byte for byte. A deliberate change of the
   * injected sidecar updates the file: the test writes what it got to {@code target/golden/}.
   */
  @Test
  void injectsTheExampleExactlyAsTheGoldenFile() throws Exception {
    assertThat(run(Files.readString(EXAMPLES.resolve("annotated-deployment.yaml")), true)).isZero();
    String injected = out.toString(StandardCharsets.UTF_8);
    Path actual = Files.createDirectories(Path.of("target", "golden")).resolve("inject-annotated-deployment.yaml");
    Files.writeString(actual, injected);
    assertThat(injected).as("differs from src/test/resources/golden/inject-annotated-deployment.yaml; what was "
        + "injected is in %s", actual.toAbsolutePath()).isEqualTo(Files.readString(Path.of("src", "test", "resources",
        "golden", "inject-annotated-deployment.yaml")));
  }

  private int run(String workloads, boolean nativeSidecar) {
    try {
      return new InjectCommand(new OperatorDefaults("sidecar:1", "p:1", "r:1")).run(workloads,
          Files.readString(EXAMPLES.resolve("stiggsidecar.yaml")), nativeSidecar,
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<Object> documents() {
    return List.of(out.toString(StandardCharsets.UTF_8).split("(?m)^---\\s*$")).stream()
        .filter(d -> d.contains("kind:"))
        .map(d -> Serialization.unmarshal(new ByteArrayInputStream(d.getBytes(StandardCharsets.UTF_8))))
        .toList();
  }
}
