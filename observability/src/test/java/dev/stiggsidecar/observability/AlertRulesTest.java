package dev.stiggsidecar.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules pass {@code promtool check rules} and their unit tests ({@code promtool test
 * rules}), every alert is tested both firing and not firing, and every alert says what to do: a
 * severity, a summary, a description and a runbook section in the README.
 */
class AlertRulesTest {

  @Test
  void rulesAreValidAndTheirUnitTestsPass() throws Exception {
    Path promtool = PrometheusBinaries.require("promtool");
    assertThat(run(promtool.toString(), "check", "rules", ObservabilityFiles.RULES.toString())).contains("SUCCESS");
    assertThat(run(promtool.toString(), "test", "rules", ObservabilityFiles.RULE_TESTS.toString())).contains("SUCCESS");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() {
    Set<String> fires = new HashSet<>();
    Set<String> staysQuiet = new HashSet<>();
    for (JsonNode test : ObservabilityFiles.ruleTests().path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        (check.path("exp_alerts").isEmpty() ? staysQuiet : fires).add(check.path("alertname").asText());
      }
    }
    assertThat(fires).as("alerts with a case where they fire").containsAll(ObservabilityFiles.alertExpressions().keySet());
    assertThat(staysQuiet).as("alerts with a case where they must not fire")
        .containsAll(ObservabilityFiles.alertExpressions().keySet());
  }

  @Test
  void everyAlertSaysWhatToDo() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("readme")));
    for (JsonNode group : ObservabilityFiles.rules().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        assertThat(rule.at("/labels/severity").asText()).as("severity of %s", alert).isIn("critical", "warning", "info");
        assertThat(rule.at("/annotations/summary").asText()).as("summary of %s", alert).isNotBlank();
        assertThat(rule.at("/annotations/description").asText()).as("description of %s", alert)
            .contains("Runbook: README, Alert runbooks.");
        assertThat(readme).as("a runbook section for %s in the README", alert).contains("#### " + alert + "\n");
      }
    }
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
    return output;
  }
}
