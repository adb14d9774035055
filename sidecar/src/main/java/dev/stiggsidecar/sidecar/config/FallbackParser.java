package dev.stiggsidecar.sidecar.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.sidecar.decision.FallbackValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses {@code ENTITLEMENTS_FALLBACK}: a JSON object from feature id to fallback, in either shape
 * Stigg's tools write:
 * <ul>
 *   <li>flat, as Stigg documents it: {@code {"feature-x": {"hasAccess": true, "usageLimit": 1000}}};
 *   <li>wrapped in the fallback's type, as the Python SDK serialises its protobuf map:
 *       {@code {"feature-x": {"metered": {"hasAccess": true, "usageLimit": 10}}}}.
 * </ul>
 * Fields: {@code hasAccess}, {@code value} (int32), {@code isUnlimited}, {@code usageLimit},
 * {@code enumValues}. Every problem is reported, each with the feature and field at fault.
 */
final class FallbackParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("hasAccess", "value", "isUnlimited", "usageLimit", "enumValues");
  private static final Set<String> WRAPPERS = Set.of("boolean", "numeric", "metered", "enum");

  private FallbackParser() {}

  static Map<String, FallbackValue> parse(String json, List<String> problems) {
    String variable = SidecarEnv.ENTITLEMENTS_FALLBACK;
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      problems.add(variable + ": not valid JSON (" + e.getOriginalMessage() + " at column "
          + e.getLocation().getColumnNr() + "); expected e.g. {\"feature-x\":{\"hasAccess\":true}}");
      return Map.of();
    }
    if (root == null || !root.isObject()) {
      problems.add(variable + ": must be a JSON object from feature id to fallback, e.g. "
          + "{\"feature-x\":{\"hasAccess\":true,\"usageLimit\":100}}");
      return Map.of();
    }
    Map<String, FallbackValue> fallbacks = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String where = variable + "." + entry.getKey();
      JsonNode value = entry.getValue();
      if (value.isObject() && value.size() == 1 && WRAPPERS.contains(value.fieldNames().next())) {
        String wrapper = value.fieldNames().next();
        where = where + "." + wrapper;
        value = value.get(wrapper);
      }
      parseOne(value, where, problems).ifPresent(fallback -> fallbacks.put(entry.getKey(), fallback));
    }
    return fallbacks;
  }

  private static Optional<FallbackValue> parseOne(JsonNode node, String where, List<String> problems) {
    if (!node.isObject()) {
      problems.add(where + ": must be an object such as {\"hasAccess\":true}, got " + node);
      return Optional.empty();
    }
    int before = problems.size();
    node.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        problems.add(where + "." + name + ": unknown field; allowed: hasAccess, value, isUnlimited, usageLimit, enumValues");
      }
    });
    JsonNode hasAccess = node.path("hasAccess");
    if (!hasAccess.isMissingNode() && !hasAccess.isBoolean()) {
      problems.add(where + ".hasAccess: must be true or false, got " + hasAccess);
    }
    JsonNode value = node.path("value");
    if (!value.isMissingNode() && !(value.isIntegralNumber() && value.canConvertToInt())) {
      problems.add(where + ".value: must be a whole number in the int32 range, got " + value);
    }
    JsonNode unlimited = node.path("isUnlimited");
    if (!unlimited.isMissingNode() && !unlimited.isBoolean()) {
      problems.add(where + ".isUnlimited: must be true or false, got " + unlimited);
    }
    JsonNode limit = node.path("usageLimit");
    if (!limit.isMissingNode() && !(limit.isNumber() && Double.isFinite(limit.asDouble()))) {
      problems.add(where + ".usageLimit: must be a number, got " + limit);
    }
    JsonNode values = node.path("enumValues");
    List<String> enumValues = new ArrayList<>();
    if (!values.isMissingNode()) {
      if (!values.isArray()) {
        problems.add(where + ".enumValues: must be a list of strings, got " + values);
      } else {
        for (JsonNode item : values) {
          if (item.isTextual()) {
            enumValues.add(item.asText());
          } else {
            problems.add(where + ".enumValues: must be a list of strings, got " + item + " in it");
          }
        }
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new FallbackValue(hasAccess.asBoolean(false),
        value.isMissingNode() ? OptionalInt.empty() : OptionalInt.of(value.asInt()),
        unlimited.isMissingNode() ? Optional.empty() : Optional.of(unlimited.asBoolean()),
        limit.isMissingNode() ? OptionalDouble.empty() : OptionalDouble.of(limit.asDouble()),
        enumValues));
  }
}
