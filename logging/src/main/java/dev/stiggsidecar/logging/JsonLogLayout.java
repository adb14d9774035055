package dev.stiggsidecar.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line: {@code time}, {@code level}, {@code logger}, {@code message}, any
 * key-value pairs of the event, and {@code error} with the stack trace. Any configured secret that
 * slips into a message or error is replaced by {@code [redacted]} before the line is written.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> secrets;

  public JsonLogLayout(List<String> secrets) {
    this.secrets = secrets.stream().filter(secret -> secret.length() >= 4).toList();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    line.put("level", event.getLevel().toString());
    String logger = event.getLoggerName();
    line.put("logger", logger.substring(logger.lastIndexOf('.') + 1));
    line.put("message", redact(event.getFormattedMessage()));
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      pairs.forEach(pair -> line.put(pair.key, redact(String.valueOf(pair.value))));
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      line.put("error", redact(ThrowableProxyUtil.asString(error)));
    }
    try {
      return JSON.writeValueAsString(line) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      return "{\"level\":\"ERROR\",\"message\":\"unloggable event\"}" + System.lineSeparator();
    }
  }

  private String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, "[redacted]");
    }
    return result;
  }
}
