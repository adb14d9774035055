package dev.stiggsidecar.webhook.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.webhook.injection.InjectionPipeline;
import dev.stiggsidecar.webhook.injection.SidecarConfiguration;
import dev.stiggsidecar.webhook.injection.StiggSidecarLookup;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One AdmissionReview (v1) in, one out: decode, run the {@link InjectionPipeline}, answer with a
 * patch. A missing or invalid {@code StiggSidecar} admits the pod unchanged with a warning and an
 * event, never a denial; only malformed override annotations are denied, with a message that
 * names them.
 */
public final class AdmissionHandler {

  private final ObjectMapper mapper;
  private final InjectionPipeline pipeline;
  private final InjectionMetrics metrics;
  private final InjectionEvents events;

  /**
   * @param serverSupportsNativeSidecars whether the API server is Kubernetes 1.29 or newer; decides
   *     {@code nativeSidecar: Auto}
   */
  public AdmissionHandler(ObjectMapper mapper, InjectionPolicy policy, StiggSidecarLookup lookup,
      OperatorDefaults defaults, boolean serverSupportsNativeSidecars, InjectionMetrics metrics, InjectionEvents events) {
    this.mapper = mapper;
    this.pipeline = new InjectionPipeline(policy, new SidecarConfiguration(lookup, defaults),
        InjectionPipeline.OptIn.REQUIRED, serverSupportsNativeSidecars);
    this.metrics = metrics;
    this.events = events;
  }

  /** Thrown for a body that is not an AdmissionReview v1 with a pod; the server answers 400. */
  public static final class MalformedReviewException extends RuntimeException {
    MalformedReviewException(String message) {
      super(message);
    }
  }

  public String handle(String body, boolean namespaceOptedIn) {
    long start = System.nanoTime();
    try {
      return mapper.writeValueAsString(review(body, namespaceOptedIn));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write an AdmissionReview", e);
    } finally {
      metrics.time(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private ObjectNode review(String body, boolean namespaceOptedIn) {
    JsonNode request = parse(body);
    String uid = request.path("uid").asText();
    String namespace = request.path("namespace").asText("");
    JsonNode podJson = request.path("object");
    Pod pod;
    try {
      pod = mapper.treeToValue(podJson, Pod.class);
    } catch (JsonProcessingException e) {
      throw new MalformedReviewException("request.object is not a Pod: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new MalformedReviewException("request.object is not a Pod: " + e.getMessage());
    }
    if (pod.getMetadata() == null || pod.getSpec() == null) {
      throw new MalformedReviewException("request.object is not a Pod: metadata and spec are required");
    }
    boolean dryRun = request.path("dryRun").asBoolean(false);
    String podName = Optional.ofNullable(pod.getMetadata().getName()).orElse(
        Optional.ofNullable(pod.getMetadata().getGenerateName()).orElse("<unnamed>"));

    InjectionPipeline.Outcome outcome = pipeline.inject(namespace, pod, namespaceOptedIn);
    if (outcome instanceof InjectionPipeline.Outcome.Injected injected) {
      ArrayNode patch = JsonPatch.between(mapper, podJson, mapper.valueToTree(injected.pod()));
      metrics.count("injected", patch.isEmpty() ? "already_injected" : "injected");
      return allowed(uid, patch, injected.warnings());
    }
    if (outcome instanceof InjectionPipeline.Outcome.NotInjected notInjected) {
      return admitWithoutSidecar(uid, namespace, podName, notInjected.code(), notInjected.reason(), dryRun);
    }
    if (outcome instanceof InjectionPipeline.Outcome.Denied denied) {
      metrics.count("failed", "invalid_override");
      return denied(uid, denied.reason());
    }
    metrics.count("skipped", ((InjectionPipeline.Outcome.Skipped) outcome).code());
    return allowed(uid, null, List.of());
  }

  private JsonNode parse(String body) {
    JsonNode review;
    try {
      review = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedReviewException("body is not JSON: " + e.getOriginalMessage());
    }
    if (review == null || !"AdmissionReview".equals(review.path("kind").asText())
        || !"admission.k8s.io/v1".equals(review.path("apiVersion").asText())) {
      throw new MalformedReviewException("expected an AdmissionReview with apiVersion admission.k8s.io/v1");
    }
    JsonNode request = review.path("request");
    if (!request.isObject() || request.path("uid").asText("").isEmpty() || !request.path("object").isObject()) {
      throw new MalformedReviewException("AdmissionReview.request needs uid and object");
    }
    return request;
  }

  private ObjectNode admitWithoutSidecar(String uid, String namespace, String podName, String code, String reason,
      boolean dryRun) {
    metrics.count("skipped", code);
    if (!dryRun) {
      events.notInjected(namespace, podName, reason);
    }
    return allowed(uid, null, List.of("stigg-sidecar not injected: " + reason));
  }

  private ObjectNode allowed(String uid, ArrayNode patch, List<String> warnings) {
    ObjectNode review = review(uid);
    ObjectNode response = (ObjectNode) review.get("response");
    response.put("allowed", true);
    if (patch != null && !patch.isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put("patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
    }
    if (!warnings.isEmpty()) {
      ArrayNode list = response.putArray("warnings");
      warnings.forEach(list::add);
    }
    return review;
  }

  private ObjectNode denied(String uid, String message) {
    ObjectNode review = review(uid);
    ObjectNode response = (ObjectNode) review.get("response");
    response.put("allowed", false);
    response.putObject("status").put("code", 400).put("reason", "BadRequest").put("message", message);
    return review;
  }

  private ObjectNode review(String uid) {
    ObjectNode review = mapper.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    review.putObject("response").put("uid", uid);
    return review;
  }
}
