package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Values written the way Stigg's JavaScript API writes them: dates as
 * {@code Date.toISOString()} (UTC, always milliseconds), numbers without a trailing {@code .0}.
 */
public final class WireValues {

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private WireValues() {}

  public static String date(Instant instant) {
    return ISO_MILLIS.format(instant);
  }

  public static NumericNode number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return JsonNodeFactory.instance.numberNode((long) value);
    }
    return JsonNodeFactory.instance.numberNode(value);
  }
}
