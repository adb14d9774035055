package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
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
        .contains("stigg-sidecar-operator", "stigg-sidecar-webhook", "checkout");
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

    Deployment webhook = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().equals("stigg-sidecar-webhook")).findFirst().orElseThrow();
    assertThat(webhook.getSpec().getReplicas()).isEqualTo(2);
    assertThat(webhook.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .startsWith("stigg-sidecar-webhook:");
    assertThat(objects).filteredOn(PodDisruptionBudget.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactly("stigg-sidecar-webhook");
    MutatingWebhookConfiguration admission = objects.stream().filter(MutatingWebhookConfiguration.class::isInstance)
        .map(MutatingWebhookConfiguration.class::cast).findFirst().orElseThrow();
    assertThat(admission.getWebhooks()).hasSize(2).allSatisfy(hook -> {
      assertThat(hook.getFailurePolicy()).isEqualTo("Ignore");
      assertThat(hook.getTimeoutSeconds()).isEqualTo(5);
      assertThat(hook.getReinvocationPolicy()).isEqualTo("IfNeeded");
      assertThat(hook.getRules()).allSatisfy(rule -> assertThat(rule.getOperations()).containsExactly("CREATE"));
      assertThat(hook.getClientConfig().getService().getNamespace()).isEqualTo("stigg-system");
    });
    assertThat(objects).filteredOn(o -> o instanceof ClusterRole || o instanceof Role)
        .allSatisfy(role -> assertThat(rules(role)).noneMatch(rule -> rule.getVerbs().contains("*")
            || rule.getResources().contains("*")));
  }

  private static List<PolicyRule> rules(HasMetadata role) {
    return role instanceof ClusterRole cluster ? cluster.getRules() : ((Role) role).getRules();
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
