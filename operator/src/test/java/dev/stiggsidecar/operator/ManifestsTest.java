package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stiggsidecar.operator.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file under {@code manifests/} is a typed Kubernetes object, and the kustomization renders. */
class ManifestsTest {

  private static final Path MANIFESTS = Path.of(System.getProperty("manifests.dir"));

  @Test
  void everyManifestParsesIntoTypedObjects() throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MANIFESTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).toList()) {
        objects.addAll(parse(Files.readString(file)));
      }
    }
    assertThat(objects).isNotEmpty().allSatisfy(object ->
        assertThat(object).as(object.getKind() + " " + object.getMetadata().getName())
            .isNotInstanceOf(GenericKubernetesResource.class));
    assertThat(objects).filteredOn(StiggSidecar.class::isInstance).hasSize(1);
    assertThat(objects).filteredOn(Deployment.class::isInstance).extracting(o -> o.getMetadata().getName())
        .contains("stigg-sidecar-operator", "checkout");
  }

  @Test
  void kustomizationRenders() throws Exception {
    boolean kubectl = Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    if (!kubectl) {
      assertThat(System.getenv("CI")).as("kubectl is required in CI to check `kubectl kustomize manifests/`").isNull();
      assumeTrue(false, "kubectl not installed: skipping `kubectl kustomize manifests/`");
    }
    Process process = new ProcessBuilder("kubectl", "kustomize", MANIFESTS.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    List<HasMetadata> objects = parse(output);
    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("Namespace", "CustomResourceDefinition", "ClusterRole", "Deployment", "ConfigMap");
    Deployment operator = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().equals("stigg-sidecar-operator")).findFirst().orElseThrow();
    assertThat(operator.getMetadata().getNamespace()).isEqualTo("stigg-system");
    assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .startsWith("stigg-sidecar-operator:");
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.contains("kind:")) {
        objects.add(Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))));
      }
    }
    return objects;
  }
}
