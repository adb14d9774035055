package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GraphQL {@code EntitlementFragment} as Stigg's API answers it: validation of user-supplied
 * entitlements (data files, admin requests) and normalization into the complete shape.
 *
 * <p>A real GraphQL server answers every selected field, with {@code null} for absent values, and
 * adds {@code __typename} to every object because Apollo clients select it. Stigg's SDK logs a
 * warning for each missing field of a pushed entitlement, so normalized entitlements always carry
 * every field of the fragment, in the fragment's order.
 */
public final class EntitlementShape {

  static final List<String> FEATURE_TYPES = List.of("BOOLEAN", "NUMBER", "ENUM");
  static final List<String> METER_TYPES = List.of("None", "Fluctuating", "Incremental");
  static final List<String> ACCESS_DENIED_REASONS = List.of("BudgetExceeded", "CustomerIsArchived",
      "CustomerNotFound", "CustomerResourceNotFound", "EntitlementNotFound", "FeatureNotFound",
      "FeatureTypeMismatch", "InsufficientCredits", "NoActiveSubscription",
      "NoFeatureEntitlementInSubscription", "RequestedUsageExceedingLimit", "RequestedValuesMismatch",
      "Revoked", "Unknown");

  private static final Set<String> DATE_FIELDS = Set.of("entitlementUpdatedAt", "usageUpdatedAt",
      "usagePeriodAnchor", "usagePeriodStart", "usagePeriodEnd", "nextResetDate", "validUntil");
  private static final Set<String> NUMBER_FIELDS = Set.of("usageLimit", "currentUsage", "requestedUsage");
  private static final Set<String> BOOLEAN_FIELDS = Set.of("isGranted", "hasUnlimitedUsage", "hasSoftLimit");
  private static final Set<String> STRING_LIST_FIELDS = Set.of("enumValues", "requestedValues");
  private static final List<String> ENTITLEMENT_FIELDS = List.of("__typename", "isGranted",
      "accessDeniedReason", "customerId", "resourceId", "usageLimit", "hasUnlimitedUsage",
      "hasSoftLimit", "currentUsage", "requestedUsage", "requestedValues", "enumValues",
      "entitlementUpdatedAt", "usageUpdatedAt", "usagePeriodAnchor", "usagePeriodStart",
      "usagePeriodEnd", "nextResetDate", "resetPeriod", "resetPeriodConfiguration", "feature",
      "creditRate", "validUntil");
  private static final List<String> FEATURE_FIELDS = List.of("__typename", "featureType", "meterType",
      "featureUnits", "featureUnitsPlural", "description", "displayName", "refId", "unitTransformation");
  private static final Map<String, List<String>> ACCORDING_TO = Map.of(
      "yearlyAccordingTo", List.of("SubscriptionStart"),
      "monthlyAccordingTo", List.of("SubscriptionStart", "StartOfTheMonth"),
      "weeklyAccordingTo", List.of("SubscriptionStart", "EverySunday", "EveryMonday", "EveryTuesday",
          "EveryWednesday", "EveryThursday", "EveryFriday", "EverySaturday"));

  private EntitlementShape() {}

  /** Checks one user-supplied entitlement, reporting every problem under {@code path}. */
  public static void validate(JsonNode entitlement, String path, Problems problems) {
    if (!entitlement.isObject()) {
      problems.add(path, "an entitlement must be an object with at least a feature");
      return;
    }
    checkKnownFields(entitlement, ENTITLEMENT_FIELDS, path, problems);
    JsonNode feature = entitlement.path("feature");
    if (!feature.isObject()) {
      problems.add(path, "feature is required: an object with refId and featureType");
    } else {
      checkKnownFields(feature, FEATURE_FIELDS, path + ".feature", problems);
      if (!feature.path("refId").isTextual() || feature.path("refId").asText().isBlank()) {
        problems.add(path + ".feature.refId", "is required: the feature id, e.g. feature-seats");
      }
      checkOneOf(feature.path("featureType"), FEATURE_TYPES, true, path + ".feature.featureType", problems);
      checkOneOf(feature.path("meterType"), METER_TYPES, false, path + ".feature.meterType", problems);
    }
    checkOneOf(entitlement.path("accessDeniedReason"), ACCESS_DENIED_REASONS, false,
        path + ".accessDeniedReason", problems);
    checkOneOf(entitlement.path("resetPeriod"), names(ResetPeriod.values()), false,
        path + ".resetPeriod", problems);
    for (Iterator<Map.Entry<String, JsonNode>> it = entitlement.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = path + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      if (NUMBER_FIELDS.contains(field.getKey()) && !value.isNumber()) {
        problems.add(fieldPath, "must be a number, got " + value);
      } else if (BOOLEAN_FIELDS.contains(field.getKey()) && !value.isBoolean()) {
        problems.add(fieldPath, "must be true or false, got " + value);
      } else if (DATE_FIELDS.contains(field.getKey()) && !isInstant(value)) {
        problems.add(fieldPath, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, got " + value);
      } else if (STRING_LIST_FIELDS.contains(field.getKey()) && !isStringList(value)) {
        problems.add(fieldPath, "must be a list of strings, got " + value);
      }
    }
    JsonNode creditRate = entitlement.path("creditRate");
    if (!creditRate.isMissingNode() && !creditRate.isNull()
        && (!creditRate.path("amount").isNumber() || !creditRate.path("currencyId").isTextual())) {
      problems.add(path + ".creditRate", "must be {\"amount\": <number>, \"currencyId\": <string>}");
    }
    JsonNode configuration = entitlement.path("resetPeriodConfiguration");
    if (configuration.isObject()) {
      ACCORDING_TO.forEach((key, allowed) -> checkOneOf(configuration.path(key), allowed, false,
          path + ".resetPeriodConfiguration." + key, problems));
    }
  }

  /**
   * The complete fragment for a validated entitlement of {@code key}: every field present, dates
   * as ISO strings, {@code __typename} on every object. Metered entitlements with a reset period
   * get a usage window (anchored at {@code now} when the input has no anchor).
   */
  public static ObjectNode normalize(JsonNode input, EntityKey key, Instant now) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode out = json.objectNode();
    ObjectNode feature = normalizeFeature(input.path("feature"));
    boolean metered = isMetered(feature);
    String reason = textOrNull(input.path("accessDeniedReason"));
    out.put("__typename", "Entitlement");
    out.put("isGranted", input.path("isGranted").isBoolean() ? input.get("isGranted").asBoolean() : reason == null);
    out.put("accessDeniedReason", reason);
    out.put("customerId", key.customerId());
    out.put("resourceId", key.resourceId().orElse(null));
    copyNumber(input, "usageLimit", out);
    out.put("hasUnlimitedUsage", input.path("hasUnlimitedUsage").asBoolean(false));
    out.put("hasSoftLimit", input.path("hasSoftLimit").asBoolean(false));
    if (input.path("currentUsage").isNumber()) {
      out.set("currentUsage", input.get("currentUsage"));
    } else if (metered) {
      out.put("currentUsage", 0);
    } else {
      out.putNull("currentUsage");
    }
    out.putNull("requestedUsage");
    out.putNull("requestedValues");
    out.set("enumValues", input.path("enumValues").isArray() ? input.get("enumValues").deepCopy() : json.nullNode());
    out.put("entitlementUpdatedAt", dateOr(input.path("entitlementUpdatedAt"), WireValues.date(now)));
    out.put("usageUpdatedAt", dateOr(input.path("usageUpdatedAt"), metered ? WireValues.date(now) : null));
    String period = textOrNull(input.path("resetPeriod"));
    if (metered && period != null) {
      Instant anchor = firstDate(input, "usagePeriodAnchor", "usagePeriodStart").orElse(now.truncatedTo(ChronoUnit.SECONDS));
      out.put("usagePeriodAnchor", WireValues.date(anchor));
      ResetPeriod.UsageWindow window = ResetPeriod.valueOf(period).windowAt(anchor, now);
      out.put("usagePeriodStart", WireValues.date(window.start()));
      out.put("usagePeriodEnd", WireValues.date(window.end()));
      out.put("nextResetDate", WireValues.date(window.end()));
      // Usage given with a window that has already ended is that past window's: Stigg serves only
      // the current window, whose usage starts from zero.
      if (firstDate(input, "usagePeriodEnd", "nextResetDate").filter(end -> !end.isAfter(now)).isPresent()) {
        out.put("currentUsage", 0);
      }
    } else {
      out.put("usagePeriodAnchor", dateOrNull(input.path("usagePeriodAnchor")));
      out.put("usagePeriodStart", dateOrNull(input.path("usagePeriodStart")));
      out.put("usagePeriodEnd", dateOrNull(input.path("usagePeriodEnd")));
      out.put("nextResetDate", dateOrNull(input.path("nextResetDate")));
    }
    out.put("resetPeriod", period);
    out.set("resetPeriodConfiguration", normalizeResetConfiguration(input.path("resetPeriodConfiguration"), period));
    out.set("feature", feature);
    JsonNode creditRate = input.path("creditRate");
    if (creditRate.isObject()) {
      ObjectNode rate = out.putObject("creditRate");
      rate.set("amount", creditRate.get("amount"));
      rate.put("currencyId", creditRate.get("currencyId").asText());
      rate.put("__typename", "CreditRate");
    } else {
      out.putNull("creditRate");
    }
    out.put("validUntil", dateOrNull(input.path("validUntil")));
    return out;
  }

  /** Metered means a {@code NUMBER} feature with an {@code Incremental} or {@code Fluctuating} meter. */
  public static boolean isMetered(JsonNode feature) {
    String meterType = feature.path("meterType").asText("");
    return "NUMBER".equals(feature.path("featureType").asText())
        && ("Incremental".equals(meterType) || "Fluctuating".equals(meterType));
  }

  private static ObjectNode normalizeFeature(JsonNode input) {
    ObjectNode feature = JsonNodeFactory.instance.objectNode();
    String refId = input.path("refId").asText();
    feature.put("__typename", "EntitlementFeature");
    feature.put("featureType", input.path("featureType").asText());
    feature.put("meterType", textOrNull(input.path("meterType")));
    feature.put("featureUnits", textOrNull(input.path("featureUnits")));
    feature.put("featureUnitsPlural", textOrNull(input.path("featureUnitsPlural")));
    feature.put("description", textOrNull(input.path("description")));
    feature.put("displayName", textOr(input.path("displayName"), refId));
    feature.put("refId", refId);
    JsonNode transformation = input.path("unitTransformation");
    if (transformation.isObject()) {
      ObjectNode copy = feature.putObject("unitTransformation");
      copy.set("divide", transformation.path("divide").isMissingNode() ? null : transformation.get("divide"));
      copy.put("round", textOrNull(transformation.path("round")));
      copy.put("__typename", "UnitTransformation");
    } else {
      feature.putNull("unitTransformation");
    }
    return feature;
  }

  private static JsonNode normalizeResetConfiguration(JsonNode input, String period) {
    if (period == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    ResetPeriod resetPeriod = ResetPeriod.valueOf(period);
    return resetPeriod.configurationTypename().<JsonNode>map(typename -> {
      String field = resetPeriod.configurationField().orElseThrow();
      ObjectNode configuration = JsonNodeFactory.instance.objectNode();
      configuration.put("__typename", typename);
      configuration.put(field, textOr(input.path(field), "SubscriptionStart"));
      return configuration;
    }).orElse(JsonNodeFactory.instance.nullNode());
  }

  private static void checkKnownFields(JsonNode object, List<String> known, String path, Problems problems) {
    object.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        problems.add(path + "." + name, "is not a field of the entitlement fragment; known fields: "
            + String.join(", ", known.subList(1, known.size())));
      }
    });
  }

  private static void checkOneOf(JsonNode value, List<String> allowed, boolean required, String path,
      Problems problems) {
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        problems.add(path, "is required: one of " + String.join(", ", allowed));
      }
    } else if (!value.isTextual() || !allowed.contains(value.asText())) {
      problems.add(path, value + " is not one of " + String.join(", ", allowed));
    }
  }

  private static boolean isInstant(JsonNode value) {
    if (!value.isTextual()) {
      return false;
    }
    try {
      Instant.parse(value.asText());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean isStringList(JsonNode value) {
    if (!value.isArray()) {
      return false;
    }
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static void copyNumber(JsonNode input, String field, ObjectNode out) {
    out.set(field, input.path(field).isNumber() ? input.get(field) : JsonNodeFactory.instance.nullNode());
  }

  private static String textOrNull(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  private static String dateOrNull(JsonNode node) {
    return dateOr(node, null);
  }

  private static String dateOr(JsonNode node, String fallback) {
    return node.isTextual() ? WireValues.date(Instant.parse(node.asText())) : fallback;
  }

  private static String textOr(JsonNode node, String fallback) {
    return node.isTextual() ? node.asText() : fallback;
  }

  private static List<String> names(Enum<?>[] values) {
    return java.util.Arrays.stream(values).map(Enum::name).toList();
  }

  private static Optional<Instant> firstDate(JsonNode input, String... fields) {
    for (String field : fields) {
      if (input.path(field).isTextual()) {
        return Optional.of(Instant.parse(input.get(field).asText()));
      }
    }
    return Optional.empty();
  }
}
