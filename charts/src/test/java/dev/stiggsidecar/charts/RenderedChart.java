package dev.stiggsidecar.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart rendered by Helm's own Go code (helm-java, no helm binary): {@code helm template} as a
 * user runs it, into the namespace the kustomize install uses, as objects to compare and apply.
 */
final class RenderedChart {

  static final Path CHART = Path.of(System.getProperty("repository.root"), "charts", "stigg-sidecar-operator");
  static final String NAMESPACE = "stigg-system";
  /** Helm defaults to an old version when no cluster is asked; the chart needs 1.26+. */
  static final String KUBE_VERSION = "v1.34.0";
  private static final YAMLMapper YAML = new YAMLMapper();

  private final String yaml;
  private final List<ObjectNode> objects;

  private RenderedChart(String yaml, List<ObjectNode> objects) {
    this.yaml = yaml;
    this.objects = objects;
  }

  /** {@code helm template stigg <chart> --namespace stigg-system --set k=v ...}. */
  static RenderedChart render(Map<String, Object> values) {
    TemplateCommand template = new Helm(CHART).template().withName("stigg").withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    values.forEach(template::set);
    String yaml = template.call();
    return new RenderedChart(yaml, parse(yaml));
  }

  static List<ObjectNode> parse(String yaml) {
    List<ObjectNode> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      try {
        JsonNode node = YAML.readTree(document);
        if (node instanceof ObjectNode object && object.has("kind")) {
          objects.add(object);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("not YAML:\n" + document, e);
      }
    }
    return objects;
  }

  String yaml() {
    return yaml;
  }

  List<ObjectNode> objects() {
    return objects;
  }

  Optional<ObjectNode> find(String kind, String name) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())
        && name.equals(o.at("/metadata/name").asText())).findFirst();
  }

  ObjectNode get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + yaml));
  }
}
