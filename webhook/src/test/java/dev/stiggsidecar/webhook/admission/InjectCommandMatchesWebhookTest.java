package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.webhook.cli.InjectCommand;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code inject} on the examples gives exactly what the webhook's patch gives for the same pod:
 * one pipeline, driven both ways.
 */
class InjectCommandMatchesWebhookTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES = Path.of(System.getProperty("manifests.dir"), "examples");
  private static final OperatorDefaults DEFAULTS = new OperatorDefaults("sidecar:1", "p:1", "r:1");

  @Test
  void theExampleDeploymentIsInjectedAlikeByTheCommandAndTheWebhook() throws Exception {
    String workloads = Files.readString(EXAMPLES.resolve("annotated-deployment.yaml"));
    String config = Files.readString(EXAMPLES.resolve("stiggsidecar.yaml"));
    for (boolean nativeSidecar : List.of(true, false)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = new InjectCommand(DEFAULTS).run(workloads, config, nativeSidecar, new PrintStream(out, true,
          StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
      Deployment injected = Serialization.unmarshal(out.toString(StandardCharsets.UTF_8), Deployment.class);

      Deployment original = Serialization.unmarshal(workloads, Deployment.class);
      ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
      pod.set("metadata", JSON.valueToTree(original.getSpec().getTemplate().getMetadata()));
      pod.set("spec", JSON.valueToTree(original.getSpec().getTemplate().getSpec()));
      StiggSidecar resource = Serialization.unmarshal(config, StiggSidecar.class);
      AdmissionHandler webhook = new AdmissionHandler(JSON, new InjectionPolicy("stigg-system"), namespace ->
          List.of(resource), DEFAULTS, nativeSidecar, new InjectionMetrics(new SimpleMeterRegistry()),
          (namespace, name, reason) -> { });
      JsonNode response = JSON.readTree(webhook.handle(AdmissionHandlerTest.review(pod.toString()), false))
          .path("response");
      JsonNode patched = io.fabric8.zjsonpatch.JsonPatch.apply(JSON.readTree(new String(
          Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8)), pod);

      assertThat(JSON.valueToTree(injected.getSpec().getTemplate().getSpec()).toString())
          .as("pod spec, native sidecar %s", nativeSidecar).isEqualTo(patched.path("spec").toString());
      assertThat(JSON.valueToTree(injected.getSpec().getTemplate().getMetadata()).toString())
          .as("pod metadata, native sidecar %s", nativeSidecar).isEqualTo(patched.path("metadata").toString());
    }
  }
}
