package dev.stiggsidecar.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dashboard and the alert rules as shipped, and the PromQL expressions in them. */
final class ObservabilityFiles {

  static final Path RULES = Path.of("stigg-sidecar.rules.yaml").toAbsolutePath();
  static final Path RULE_TESTS = Path.of("tests", "stigg-sidecar.rules.test.yaml").toAbsolutePath();
  static final Path DASHBOARD = Path.of("stigg-sidecar-dashboard.json").toAbsolutePath();

  private ObservabilityFiles() {}

  static JsonNode rules() {
    return read(new YAMLMapper(), RULES);
  }

  static JsonNode ruleTests() {
    return read(new YAMLMapper(), RULE_TESTS);
  }

  static JsonNode dashboard() {
    return read(new ObjectMapper(), DASHBOARD);
  }

  /** Every alert's expression, by alert name. */
  static Map<String, String> alertExpressions() {
    Map<String, String> alerts = new LinkedHashMap<>();
    for (JsonNode group : rules().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    return alerts;
  }

  /** Every panel query, by "panel title / refId", with Grafana's variables as Prometheus can take them. */
  static Map<String, String> dashboardExpressions() {
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : panels(dashboard())) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(panel.path("title").asText() + " / " + target.path("refId").asText(),
            target.path("expr").asText().replace("$__rate_interval", "30s").replace("$namespace", ".*"));
      }
    }
    return queries;
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
