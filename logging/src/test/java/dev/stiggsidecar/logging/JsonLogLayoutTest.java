package dev.stiggsidecar.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLogLayoutTest {

  private final LoggerContext context = new LoggerContext();
  private final JsonLogLayout layout = new JsonLogLayout(List.of("sk-live-1234"));

  @Test
  void oneParseableObjectPerLineWithEveryFieldEscapedAndSecretsRedacted() throws Exception {
    LoggingEvent event = new LoggingEvent("dev.stiggsidecar.sidecar.upstream.StiggApiClient",
        context.getLogger("dev.stiggsidecar.sidecar.upstream.StiggApiClient"), Level.WARN,
        "Stigg answered \"{}\"\nwith key {}", new IllegalStateException("refused sk-live-1234"),
        new Object[] {"401 \\ unauthorized", "sk-live-1234"});
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("customer", "c-1\t\"quoted\""));

    String line = layout.doLayout(event);

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n").doesNotContain("sk-live-1234");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("StiggApiClient");
    assertThat(json.get("message").asText()).isEqualTo("Stigg answered \"401 \\ unauthorized\"\nwith key [redacted]");
    assertThat(json.get("customer").asText()).isEqualTo("c-1\t\"quoted\"");
    assertThat(json.get("error").asText()).contains("IllegalStateException: refused [redacted]");
    assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }
}
