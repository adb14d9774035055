package dev.stiggsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.kubetest.Installation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One source of truth: the chart with default values and {@code kubectl kustomize manifests/}
 * create the same objects (kinds, names, RBAC rules, webhook settings, pod specs, security
 * contexts), apart from the differences the chart's README documents, which are exactly what is
 * normalized here:
 *
 * <ul>
 *   <li>labels: the chart adds Helm's ({@code app.kubernetes.io/instance}, {@code version},
 *       {@code managed-by}, {@code helm.sh/chart}) and {@code part-of} to every object;
 *   <li>the images ConfigMap: kustomize suffixes its name with a content hash, the chart keeps the
 *       name and restarts the pods through a {@code checksum/images} annotation instead;
 *   <li>the chart sets {@code LOG_LEVEL} and the leader-election timings explicitly (their
 *       defaults) and {@code imagePullPolicy};
 *   <li>the Namespace is the release's ({@code helm install --create-namespace}), not an object of
 *       the chart; the CRD is in the chart's {@code crds/} (compared too);
 *   <li>the chart adds the dashboard ConfigMap.
 * </ul>
 */
class ChartEquivalenceTest {

  private static final Set<String> HELM_LABELS = Set.of("app.kubernetes.io/instance", "app.kubernetes.io/version",
      "app.kubernetes.io/managed-by", "helm.sh/chart", "app.kubernetes.io/part-of");
  private static final Set<String> EXPLICIT_DEFAULTS = Set.of("LOG_LEVEL", "LEADER_ELECTION_LEASE_DURATION_SECONDS",
      "LEADER_ELECTION_RENEW_DEADLINE_SECONDS", "LEADER_ELECTION_RETRY_PERIOD_SECONDS");

  @Test
  void chartDefaultsCreateWhatKustomizeCreates() throws IOException {
    Map<String, JsonNode> kustomize = byKindAndName(Installation.render().objects(), kind -> !kind.equals("Namespace"));
    List<HasMetadata> chartObjects = new ArrayList<>();
    for (ObjectNode object : RenderedChart.render(Map.of()).objects()) {
      chartObjects.add(Serialization.unmarshal(object.toString()));
    }
    chartObjects.add(Serialization.unmarshal(Files.readString(
        RenderedChart.CHART.resolve("crds/stiggsidecars.sidecar.stigg.io.yaml"))));
    Map<String, JsonNode> chart = byKindAndName(chartObjects, kind -> true);
    chart.remove("ConfigMap/stigg-sidecar-dashboard");

    assertThat(chart.keySet()).as("objects of the chart vs kustomize").containsExactlyInAnyOrderElementsOf(kustomize.keySet());
    List<String> differences = new ArrayList<>();
    kustomize.forEach((key, expected) -> {
      if (!expected.equals(chart.get(key))) {
        differences.add(key + ":\n  kustomize: " + expected + "\n  chart:     " + chart.get(key));
      }
    });
    assertThat(differences).as("objects that differ beyond the documented differences").isEmpty();
  }

  /** Each object as JSON through fabric8's model (so that "8080" and 8080 compare alike), normalized. */
  private static Map<String, JsonNode> byKindAndName(List<HasMetadata> objects, Predicate<String> keep) {
    Map<String, JsonNode> byKey = new TreeMap<>();
    for (HasMetadata object : objects) {
      if (!keep.test(object.getKind())) {
        continue;
      }
      ObjectNode json = Serialization.jsonMapper().valueToTree(object);
      normalize(json);
      byKey.put(object.getKind() + "/" + json.at("/metadata/name").asText(), json);
    }
    return byKey;
  }

  private static void normalize(ObjectNode object) {
    ObjectNode metadata = (ObjectNode) object.path("metadata");
    if (object.path("kind").asText().equals("ConfigMap")
        && metadata.path("name").asText().startsWith("stigg-sidecar-images")) {
      metadata.put("name", "stigg-sidecar-images");
    }
    metadata.remove("namespace");
    dropLabels(metadata);
    JsonNode template = object.at("/spec/template");
    if (template instanceof ObjectNode pod) {
      ObjectNode podMetadata = (ObjectNode) pod.path("metadata");
      dropLabels(podMetadata);
      if (podMetadata.path("annotations") instanceof ObjectNode annotations) {
        annotations.remove("checksum/images");
        if (annotations.isEmpty()) {
          podMetadata.remove("annotations");
        }
      }
      for (JsonNode container : pod.at("/spec/containers")) {
        ObjectNode fields = (ObjectNode) container;
        fields.remove("imagePullPolicy");
        if (fields.path("env") instanceof ArrayNode env) {
          for (Iterator<JsonNode> variables = env.elements(); variables.hasNext();) {
            if (EXPLICIT_DEFAULTS.contains(variables.next().path("name").asText())) {
              variables.remove();
            }
          }
        }
        for (JsonNode source : fields.path("envFrom")) {
          if (source.path("configMapRef") instanceof ObjectNode reference
              && reference.path("name").asText().startsWith("stigg-sidecar-images")) {
            reference.put("name", "stigg-sidecar-images");
          }
        }
      }
    }
  }

  private static void dropLabels(ObjectNode metadata) {
    if (metadata.path("labels") instanceof ObjectNode labels) {
      HELM_LABELS.forEach(labels::remove);
      if (labels.isEmpty()) {
        metadata.remove("labels");
      }
    }
  }
}
