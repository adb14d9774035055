package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Any AdmissionReview body the webhook can receive: it answers an AdmissionReview for the same
 * request (allowed, with a patch that applies to the pod and leaves a pod; or denied with a reason),
 * or refuses the body as malformed with the reason (the server's 400). Nothing else: an exception
 * there would fail the pod's creation with an opaque error, or with {@code failurePolicy: Ignore}
 * let it through without a word.
 */
class AdmissionReviewFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AdmissionHandler HANDLER = new AdmissionHandler(JSON, new InjectionPolicy("stigg-system"),
      namespace -> List.of(AdmissionHandlerTest.resource("default")), new OperatorDefaults("sidecar:1", "p:1", "r:1"),
      true, new InjectionMetrics(new SimpleMeterRegistry()), (namespace, pod, reason) -> { });

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({"{", "}", "[", "]", "\"AdmissionReview\"", "\"admission.k8s.io/v1\"", "\"request\"", "\"uid\"",
      "\"object\"", "\"metadata\"", "\"annotations\"", "\"spec\"", "\"containers\"", "\"initContainers\"",
      "\"sidecar.stigg.io/inject\"", "\"sidecar.stigg.io/config\"", "\"sidecar.stigg.io/cpu-limit\"",
      "\"sidecar.stigg.io/memory-request\"", "\"sidecar.stigg.io/log-level\"", "\"true\"", "\"name\"", "\"image\"",
      "\"env\"", "\"ports\"", "\"containerPort\"", "\"restartPolicy\"", "\"Always\"", "\"stigg-sidecar\"",
      "\"volumes\"", "\"dryRun\"", "\"namespace\""})
  void anyReview(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    boolean namespaceOptedIn = (input[0] & 1) == 1;
    String body = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    String answer;
    try {
      answer = HANDLER.handle(body, namespaceOptedIn);
    } catch (AdmissionHandler.MalformedReviewException malformed) {
      assertThat(malformed.getMessage()).as("the 400 says why").isNotBlank();
      return;
    }
    JsonNode review = JSON.readTree(answer);
    JsonNode request = JSON.readTree(body).path("request");
    JsonNode response = review.path("response");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(response.path("uid").asText()).isEqualTo(request.path("uid").asText());
    if (!response.path("allowed").asBoolean()) {
      assertThat(response.path("status").path("message").asText()).as("a denial says why").isNotBlank();
    } else if (response.has("patch")) {
      JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
      JsonNode patched = JsonPatch.apply(patch, request.path("object"));
      assertThat(JSON.treeToValue(patched, Pod.class).getSpec()).isNotNull();
    }
  }
}
