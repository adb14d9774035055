package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stiggsidecar.operator.StiggSidecarOperator;
import dev.stiggsidecar.operator.model.OperatorDefaults;
import dev.stiggsidecar.operator.model.StiggSidecar;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Operator and webhook together on the mock API server: the example {@code StiggSidecar} is
 * reconciled, an annotated pod is admitted through the webhook's handler, the patched pod is
 * stored, and what it references exists: the operator's ConfigMap and the API key Secret.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorAndWebhookTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final OperatorDefaults DEFAULTS = new OperatorDefaults("sidecar:1", "pcache:1", "redis:7");

  KubernetesClient client;

  @Test
  void injectedPodReferencesWhatTheOperatorCreated() throws Exception {
    try (InputStream crd = new FileInputStream(System.getProperty("checked.in.crd"))) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("stigg-api-key")
        .withNamespace("shop").endMetadata().addToData("SERVER_API_KEY", "a2V5").build()).create();
    Path examples = Path.of(System.getProperty("manifests.dir"), "examples");
    try (InputStream example = Files.newInputStream(examples.resolve("stiggsidecar.yaml"))) {
      client.resources(StiggSidecar.class).load(example).create();
    }
    Operator operator = StiggSidecarOperator.create(client, DEFAULTS, new SimpleMeterRegistry(), Optional.empty(),
        Clock.systemUTC());
    operator.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          client.configMaps().inNamespace("shop").withName("default-sidecar-env").get() != null);

      AdmissionHandler handler = new AdmissionHandler(JSON, new InjectionPolicy("stigg-system"),
          namespace -> client.resources(StiggSidecar.class).inNamespace(namespace).list().getItems(),
          DEFAULTS, true, new InjectionMetrics(new SimpleMeterRegistry()), (ns, pod, reason) -> { });
      String deployment = Files.readString(examples.resolve("annotated-deployment.yaml"));
      JsonNode template = YAML.readTree(deployment).path("spec").path("template");
      ObjectNode metadata = ((ObjectNode) template.path("metadata")).put("name", "checkout-1").put("namespace", "shop");
      String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":" + metadata
          + ",\"spec\":" + template.path("spec") + "}";
      JsonNode response = JSON.readTree(handler.handle(AdmissionHandlerTest.review(pod), false)).path("response");
      JsonNode patch = JSON.readTree(new String(Base64.getDecoder().decode(response.path("patch").asText()),
          StandardCharsets.UTF_8));
      Pod admitted = JSON.treeToValue(JsonPatch.apply(patch, JSON.readTree(pod)), Pod.class);
      client.pods().inNamespace("shop").resource(admitted).create();

      Pod stored = client.pods().inNamespace("shop").withName("checkout-1").get();
      Container sidecar = stored.getSpec().getInitContainers().get(0);
      ConfigMap config = client.configMaps().inNamespace("shop")
          .withName(sidecar.getEnvFrom().get(0).getConfigMapRef().getName()).get();
      assertThat(config).as("the ConfigMap the sidecar loads exists").isNotNull();
      assertThat(config.getData()).containsEntry("REDIS_ENVIRONMENT_PREFIX", "shop-production");
      EnvVar apiKey = sidecar.getEnv().get(0);
      assertThat(client.secrets().inNamespace("shop").withName(apiKey.getValueFrom().getSecretKeyRef().getName()).get()
          .getData()).containsKey(apiKey.getValueFrom().getSecretKeyRef().getKey());
      assertThat(stored.getMetadata().getAnnotations().get("sidecar.stigg.io/config-hash"))
          .isEqualTo(config.getMetadata().getAnnotations().get("sidecar.stigg.io/config-hash"));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          client.resources(StiggSidecar.class).inNamespace("shop").withName("default").get().getStatus()
              .configHash()).isEqualTo(stored.getMetadata().getAnnotations().get("sidecar.stigg.io/config-hash")));
    } finally {
      operator.stop();
    }
  }
}
