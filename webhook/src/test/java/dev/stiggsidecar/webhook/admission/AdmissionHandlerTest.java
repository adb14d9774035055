package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.webhook.injection.StiggSidecarLookup;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.SecretKeyRef;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarSpec;
import dev.stiggsidecar.api.pod.ConfigHash;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AdmissionReview in, AdmissionReview out; the returned patch is applied with a JSON Patch library. */
class AdmissionHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OperatorDefaults DEFAULTS = new OperatorDefaults("sidecar:1", "p:1", "r:1");
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"checkout-7d9f-","namespace":"shop",
       "annotations":{"sidecar.stigg.io/inject":"true"%s}},
       "spec":{"containers":[{"name":"checkout","image":"checkout:1","ports":[{"containerPort":8080}]}]}}
      """;

  private final List<String> events = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private List<StiggSidecar> resources = List.of(resource("default"));

  private AdmissionHandler handler(boolean nativeSidecars) {
    return new AdmissionHandler(JSON, new InjectionPolicy("stigg-system"), namespace -> resources, DEFAULTS,
        nativeSidecars, new InjectionMetrics(registry), (namespace, pod, reason) -> events.add(namespace + "/" + pod + ": " + reason));
  }

  private AdmissionHandler handler(StiggSidecarLookup lookup) {
    return new AdmissionHandler(JSON, new InjectionPolicy("stigg-system"), lookup, DEFAULTS, true,
        new InjectionMetrics(registry), (namespace, pod, reason) -> events.add(namespace + "/" + pod + ": " + reason));
  }

  @Test
  void annotatedPodGetsAPatchThatAddsTheSidecarAndReinvocationChangesNothing() throws Exception {
    String pod = POD.formatted("");
    JsonNode response = respond(handler(true), pod, false);
    assertThat(response.path("uid").asText()).isEqualTo("req-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");

    JsonNode patched = JsonPatch.apply(patch(response), JSON.readTree(pod));
    Pod result = JSON.treeToValue(patched, Pod.class);
    Container sidecar = result.getSpec().getInitContainers().get(0);
    assertThat(sidecar.getName()).isEqualTo("stigg-sidecar");
    assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
    assertThat(sidecar.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("default-sidecar-env");
    assertThat(sidecar.getEnv().get(0).getValueFrom().getSecretKeyRef().getName()).isEqualTo("stigg-api-key");
    assertThat(result.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(result.getMetadata().getAnnotations()).containsEntry("sidecar.stigg.io/status", "injected");

    JsonNode again = respond(handler(true), patched.toString(), false);
    assertThat(again.path("allowed").asBoolean()).isTrue();
    assertThat(again.has("patch")).as("re-invocation must not patch again: %s", again).isFalse();
    assertThat(registry.counter("stigg_sidecar_injection", "result", "injected", "reason", "already_injected").count())
        .isEqualTo(1.0);
  }

  @Test
  void classicModeOnOlderClusters() throws Exception {
    String pod = POD.formatted("");
    Pod result = JSON.treeToValue(JsonPatch.apply(patch(respond(handler(false), pod, false)), JSON.readTree(pod)), Pod.class);
    assertThat(result.getSpec().getContainers()).extracting(Container::getName).containsExactly("checkout", "stigg-sidecar");
  }

  @Test
  void missingConfigAdmitsUnchangedWithAWarningAndAnEvent() throws Exception {
    resources = List.of();
    JsonNode response = respond(handler(true), POD.formatted(""), false);
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("warnings").get(0).asText()).startsWith("stigg-sidecar not injected: no StiggSidecar in namespace shop");
    assertThat(events).singleElement().asString().startsWith("shop/checkout-7d9f-: no StiggSidecar in namespace shop");
  }

  @Test
  void namedConfigThatDoesNotExistIsReported() throws Exception {
    JsonNode response = respond(handler(true), POD.formatted(",\"sidecar.stigg.io/config\":\"premium\""), false);
    assertThat(response.path("warnings").get(0).asText()).contains("StiggSidecar premium", "does not exist");
  }

  @Test
  void invalidOverrideIsDeniedNamingTheAnnotation() throws Exception {
    JsonNode response = respond(handler(true), POD.formatted(",\"sidecar.stigg.io/cpu-limit\":\"two\""), false);
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("annotation sidecar.stigg.io/cpu-limit: \"two\" is not a resource quantity");
  }

  @Test
  void podsThatDidNotOptInAndSystemNamespacesPassUntouched() throws Exception {
    String plain = POD.formatted("").replace("\"sidecar.stigg.io/inject\":\"true\"", "\"team\":\"a\"");
    assertThat(respond(handler(true), plain, false).has("patch")).isFalse();
    assertThat(respond(handler(true), plain, true).has("patch")).as("namespace opted in").isTrue();
    String optedOut = POD.formatted("").replace("\"true\"", "\"false\"");
    assertThat(respond(handler(true), optedOut, true).has("patch")).isFalse();
    String system = POD.formatted("").replace("\"namespace\":\"shop\"", "\"namespace\":\"kube-system\"");
    assertThat(respond(handler(true), system, true).has("patch")).isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  void aPodRestartedForAConfigurationTheCacheLacksIsInjectedFromTheServersView() throws Exception {
    StiggSidecar updated = resource("default");
    updated.setSpec(new StiggSidecarSpec("sidecar:2", null, new SecretKeyRef("stigg-api-key", "SERVER_API_KEY"), null,
        null, null, null, null, null, null, null, null, null, null, null, null, null));
    String updatedHash = ConfigHash.of(EffectiveSpec.of(updated, DEFAULTS));
    List<String> serverReads = new ArrayList<>();
    AdmissionHandler handler = handler(new StiggSidecarLookup() {
      @Override
      public List<StiggSidecar> inNamespace(String namespace) {
        return resources;
      }

      @Override
      public List<StiggSidecar> inNamespaceFromServer(String namespace) {
        serverReads.add(namespace);
        return List.of(updated);
      }
    });

    String restarted = POD.formatted(",\"sidecar.stigg.io/restarted-for-config-hash\":\"" + updatedHash + "\"");
    Pod result = JSON.treeToValue(JsonPatch.apply(patch(respond(handler, restarted, false)), JSON.readTree(restarted)),
        Pod.class);
    assertThat(result.getMetadata().getAnnotations()).containsEntry("sidecar.stigg.io/config-hash", updatedHash);
    assertThat(result.getSpec().getInitContainers().get(0).getImage()).isEqualTo("sidecar:2");
    assertThat(serverReads).containsExactly("shop");

    // A pod without the annotation, or restarted for what the cache has, never reads the server.
    respond(handler, POD.formatted(""), false);
    String current = ConfigHash.of(EffectiveSpec.of(resources.get(0), DEFAULTS));
    respond(handler, POD.formatted(",\"sidecar.stigg.io/restarted-for-config-hash\":\"" + current + "\""), false);
    assertThat(serverReads).hasSize(1);
  }

  @Test
  void whenTheServerDisagreesTooTheAdmissionSaysSo() throws Exception {
    JsonNode response = respond(handler(true),
        POD.formatted(",\"sidecar.stigg.io/restarted-for-config-hash\":\"0000000000000000\""), false);
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isTrue();
    assertThat(response.path("warnings").get(0).asText())
        .contains("the operator restarted this pod for 0000000000000000", "render the sidecar differently");
  }

  @Test
  void malformedReviewsGetACleanMessage() {
    assertThatThrownBy(() -> handler(true).handle("{not json", false))
        .isInstanceOf(AdmissionHandler.MalformedReviewException.class).hasMessageStartingWith("body is not JSON");
    assertThatThrownBy(() -> handler(true).handle("{\"kind\":\"Pod\"}", false))
        .hasMessage("expected an AdmissionReview with apiVersion admission.k8s.io/v1");
    assertThatThrownBy(() -> handler(true).handle(
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":{\"spec\":{\"containers\":\"x\"},\"metadata\":{}}}}", false))
        .hasMessageStartingWith("request.object is not a Pod");
  }

  static String review(String pod) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"req-1",
         "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"%s","object":%s}}
        """.formatted(pod.contains("kube-system") ? "kube-system" : "shop", pod);
  }

  private static JsonNode respond(AdmissionHandler handler, String pod, boolean namespaceOptedIn) throws Exception {
    JsonNode review = JSON.readTree(handler.handle(review(pod), namespaceOptedIn));
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    return review.path("response");
  }

  private static JsonNode patch(JsonNode response) throws Exception {
    return JSON.readTree(new String(Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8));
  }

  static StiggSidecar resource(String name) {
    StiggSidecar resource = new StiggSidecar();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    resource.setSpec(new StiggSidecarSpec(null, null, new SecretKeyRef("stigg-api-key", "SERVER_API_KEY"), null, null,
        null, null, null, null, null, null, null, null, null, null, null, null));
    return resource;
  }
}
