package dev.stiggsidecar.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line: {@code time}, {@code level}, {@code logger}, {@code message}, any
 * key-value pairs of the event, and {@code error} with the stack trace. Any configured secret that
 * slips into a message or error is replaced by {@code [redacted]} before the line is written.
 *
 * <p>Written with jackson-core's streaming generator rather than databind: the first log line of a
 * start then loads a few dozen classes instead of databind's object mapper.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();

  private final List<String> secrets;

  public JsonLogLayout(List<String> secrets) {
    this.secrets = secrets.stream().filter(secret -> secret.length() >= 4).toList();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    // A key-value pair named like a fixed field replaces it, as it always has.
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    fields.put("level", event.getLevel().toString());
    String logger = event.getLoggerName();
    fields.put("logger", logger.substring(logger.lastIndexOf('.') + 1));
    fields.put("message", redact(event.getFormattedMessage()));
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      pairs.forEach(pair -> fields.put(pair.key, redact(String.valueOf(pair.value))));
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      fields.put("error", redact(ThrowableProxyUtil.asString(error)));
    }
    StringWriter line = new StringWriter(160);
    try (JsonGenerator json = JSON.createGenerator(line)) {
      json.writeStartObject();
      for (Map.Entry<String, String> field : fields.entrySet()) {
        json.writeStringField(field.getKey(), field.getValue());
      }
      json.writeEndObject();
    } catch (IOException e) {
      return "{\"level\":\"ERROR\",\"message\":\"unloggable event\"}" + System.lineSeparator();
    }
    return line.append(System.lineSeparator()).toString();
  }

  private String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, "[redacted]");
    }
    return result;
  }
}
