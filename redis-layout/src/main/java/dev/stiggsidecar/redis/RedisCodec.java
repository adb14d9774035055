package dev.stiggsidecar.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stigg's Redis values, byte for byte as Stigg's SDK 3.95 writes them, and read in both the older
 * ({@code featureUsage}) and newer ({@code usageData}, with a {@code type}) format. Reading turns a
 * cached value back into the GraphQL fragment it was written from and parses that with {@link
 * EntitlementJson}: one parser, so an entitlement reads the same from Stigg and from Redis.
 *
 * <p>The entitlement map is written from the GraphQL fragments exactly as the SDK's cache mapper
 * does: keys in its order, absent optional values left out, {@code usageLimit: null} kept, dates
 * of the usage window as epoch milliseconds. A metered feature's usage also gets its own key,
 * which readers take as authoritative for current usage.
 */
public final class RedisCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final RedisKeys keys;
  private final EntitlementJson json;

  public RedisCodec(RedisKeys keys, EntitlementJson json) {
    this.keys = keys;
    this.json = json;
  }

  /**
   * The values to write for a fetched entitlement list. The entitlement map's timestamp is the
   * first valid {@code entitlementUpdatedAt}, else now; an empty list is {@code "{}"} with
   * timestamp 0. Each usage key's timestamp is its {@code usageUpdatedAt}, else now.
   */
  public RedisValues values(EntityKey key, JsonNode fragments, long nowMillis) {
    ObjectNode map = NODES.objectNode();
    List<RedisValues.Entry> usage = new ArrayList<>();
    long mapTimestamp = 0;
    if (fragments != null && fragments.isArray() && !fragments.isEmpty()) {
      mapTimestamp = nowMillis;
      boolean found = false;
      for (JsonNode fragment : fragments) {
        long updated = EntitlementJson.date(fragment.path("entitlementUpdatedAt"));
        if (!found && updated != Entitlement.NO_DATE) {
          mapTimestamp = updated;
          found = true;
        }
        String featureId = fragment.path("feature").path("refId").asText("");
        map.set(featureId, cached(fragment));
        if (isMetered(fragment.path("feature")) && !featureId.isEmpty()) {
          long usageUpdated = EntitlementJson.date(fragment.path("usageUpdatedAt"));
          usage.add(new RedisValues.Entry(keys.usage(key, featureId), usageValue(
              fragment.path("currentUsage").asDouble(0), EntitlementJson.date(fragment.path("usagePeriodStart")),
              EntitlementJson.periodEnd(fragment)), usageUpdated == Entitlement.NO_DATE ? nowMillis : usageUpdated));
        }
      }
    }
    List<RedisValues.Entry> entries = new ArrayList<>();
    entries.add(new RedisValues.Entry(keys.entitlements(key), map.toString(), mapTimestamp));
    entries.addAll(usage);
    return new RedisValues(entries);
  }

  /** A usage key's value: {@code {"currentUsage":4,"usagePeriodStart":...,"usagePeriodEnd":...}}. */
  public static String usageValue(double currentUsage, long periodStart, long periodEnd) {
    ObjectNode value = NODES.objectNode();
    value.set("currentUsage", number(currentUsage));
    if (periodStart != Entitlement.NO_DATE) {
      value.put("usagePeriodStart", periodStart);
    }
    if (periodEnd != Entitlement.NO_DATE) {
      value.put("usagePeriodEnd", periodEnd);
    }
    return value.toString();
  }

  /**
   * The cached entry from an entitlement map and the usage values of its metered features (by
   * feature id). Empty when the map is unreadable or a metered feature's usage is missing: both are
   * misses, as for Stigg's SDK.
   */
  public Optional<CustomerEntitlements> read(String mapValue, Map<String, String> usageValues, long fetchedAtNanos) {
    return decode(mapValue).flatMap(map -> read(map, usageValues, fetchedAtNanos));
  }

  /**
   * An entitlement map parsed once, so that a reader who finds the same map again (only usage
   * changed, or nothing did) skips the JSON: its entitlements in the map's order, the non-metered
   * ones settled, the metered ones waiting for their usage keys. Empty when the map is unreadable.
   */
  public Optional<DecodedMap> decode(String mapValue) {
    JsonNode map;
    try {
      map = JSON.readTree(mapValue);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (map == null || !map.isObject()) {
      return Optional.empty();
    }
    List<DecodedMap.Slot> slots = new ArrayList<>();
    List<String> metered = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (isMetered(field.getValue().path("calculatedEntitlement").path("feature"))) {
        slots.add(new DecodedMap.Slot(field.getKey(), field.getValue(), Optional.empty()));
        metered.add(field.getKey());
      } else {
        slots.add(new DecodedMap.Slot(field.getKey(), null, entitlement(field.getValue(), null)));
      }
    }
    return Optional.of(new DecodedMap(List.copyOf(slots), List.copyOf(metered)));
  }

  /**
   * The cached entry from a decoded map and the usage values of its metered features (by feature
   * id); empty when a metered feature's usage is missing or unreadable (a miss).
   */
  public Optional<CustomerEntitlements> read(DecodedMap map, Map<String, String> usageValues, long fetchedAtNanos) {
    List<Entitlement> entitlements = new ArrayList<>(map.slots().size());
    int featureless = 0;
    for (DecodedMap.Slot slot : map.slots()) {
      Optional<Entitlement> entitlement = slot.waitsForUsage()
          ? entitlement(slot.meteredValue(), usageValues.get(slot.featureId())) : slot.settled();
      if (entitlement.isEmpty() && slot.waitsForUsage()) {
        return Optional.empty();
      }
      if (entitlement.isPresent()) {
        entitlements.add(entitlement.get());
      } else {
        featureless++;
      }
    }
    return Optional.of(CustomerEntitlements.of(entitlements, featureless, fetchedAtNanos));
  }

  /**
   * A decoded entitlement map ({@link #decode}).
   *
   * @param meteredFeatures the feature ids whose usage lives in a key of its own, in map order
   */
  public record DecodedMap(List<Slot> slots, List<String> meteredFeatures) {

    /**
     * One value of the map: settled (an entitlement, or empty for one without a feature), or a
     * metered value that becomes an entitlement with its usage key's value.
     */
    record Slot(String featureId, JsonNode meteredValue, Optional<Entitlement> settled) {
      boolean waitsForUsage() {
        return meteredValue != null;
      }
    }
  }



  /**
   * A cached value and, for a metered feature, its usage key's value, as the fragment they were
   * written from; empty when a metered feature's usage is missing or unreadable.
   */
  private Optional<Entitlement> entitlement(JsonNode cached, String usageValue) {
    JsonNode calculated = cached.path("calculatedEntitlement");
    JsonNode feature = calculated.path("feature");
    JsonNode usage = cached.has("usageData") ? cached.path("usageData") : cached.path("featureUsage");
    JsonNode current = usage;
    if (isMetered(feature)) {
      if (usageValue == null) {
        return Optional.empty();
      }
      try {
        current = JSON.readTree(usageValue);
      } catch (JsonProcessingException e) {
        return Optional.empty();
      }
    }
    ObjectNode fragment = NODES.objectNode();
    ObjectNode featureOut = fragment.putObject("feature");
    copy(feature, "id", featureOut, "refId");
    copy(feature, "featureType", featureOut, "featureType");
    copy(feature, "meterType", featureOut, "meterType");
    copy(feature, "units", featureOut, "featureUnits");
    copy(feature, "unitsPlural", featureOut, "featureUnitsPlural");
    for (String field : List.of("usageLimit", "hasUnlimitedUsage", "hasSoftLimit", "accessDeniedReason", "enumValues",
        "validUntil", "creditRate")) {
      copy(calculated, field, fragment, field);
    }
    for (String field : List.of("resetPeriod", "resetPeriodConfiguration", "usagePeriodAnchor")) {
      copy(usage, field, fragment, field);
    }
    for (String field : List.of("currentUsage", "usagePeriodStart", "usagePeriodEnd")) {
      copy(current, field, fragment, field);
    }
    return json.entitlement(fragment);
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode value = from.path(field);
    if (!value.isMissingNode() && !value.isNull()) {
      to.set(as, value);
    }
  }

  /** One map value as the SDK's cache mapper builds it from a GraphQL fragment. */
  private static ObjectNode cached(JsonNode fragment) {
    ObjectNode cached = NODES.objectNode();
    ObjectNode calculated = cached.putObject("calculatedEntitlement");
    JsonNode feature = fragment.path("feature");
    if (feature.isObject()) {
      ObjectNode out = calculated.putObject("feature");
      out.put("id", feature.path("refId").asText(null));
      out.put("featureType", feature.path("featureType").asText(null));
      if (feature.path("meterType").isTextual() && !feature.get("meterType").asText().isEmpty()) {
        out.put("meterType", feature.get("meterType").asText());
      }
      out.put("units", feature.path("featureUnits").asText(""));
      out.put("unitsPlural", feature.path("featureUnitsPlural").asText(""));
    }
    if (fragment.path("resourceId").isTextual() && !fragment.get("resourceId").asText().isEmpty()) {
      calculated.put("resourceId", fragment.get("resourceId").asText());
    }
    calculated.set("usageLimit", fragment.has("usageLimit") ? fragment.get("usageLimit") : NODES.nullNode());
    calculated.set("hasUnlimitedUsage", fragment.has("hasUnlimitedUsage") ? fragment.get("hasUnlimitedUsage")
        : NODES.nullNode());
    calculated.put("hasSoftLimit", fragment.path("hasSoftLimit").asBoolean(false));
    if (fragment.path("accessDeniedReason").isTextual() && !fragment.get("accessDeniedReason").asText().isEmpty()) {
      calculated.put("accessDeniedReason", fragment.get("accessDeniedReason").asText());
    }
    calculated.set("enumValues", fragment.path("enumValues").isArray() ? fragment.get("enumValues") : NODES.arrayNode());
    JsonNode validUntil = fragment.path("validUntil");
    if ((validUntil.isTextual() && !validUntil.asText().isEmpty()) || validUntil.isNumber()) {
      calculated.set("validUntil", validUntil);
    }
    JsonNode rate = fragment.path("creditRate");
    if (rate.isObject()) {
      ObjectNode out = calculated.putObject("creditRate");
      out.set("amount", rate.get("amount"));
      out.set("currencyId", rate.get("currencyId"));
    }
    ObjectNode usage = cached.putObject("featureUsage");
    usage.set("resetPeriod", fragment.has("resetPeriod") ? fragment.get("resetPeriod") : NODES.nullNode());
    usage.set("resetPeriodConfiguration", fragment.has("resetPeriodConfiguration")
        ? fragment.get("resetPeriodConfiguration") : NODES.nullNode());
    usage.set("currentUsage", fragment.path("currentUsage").isNumber() ? fragment.get("currentUsage") : NODES.numberNode(0));
    putDate(usage, "usagePeriodAnchor", fragment.path("usagePeriodAnchor"));
    putDate(usage, "usagePeriodStart", fragment.path("usagePeriodStart"));
    putDate(usage, "usagePeriodEnd", fragment.path("usagePeriodEnd"));
    return cached;
  }

  private static void putDate(ObjectNode node, String field, JsonNode value) {
    long millis = EntitlementJson.date(value);
    if (millis != Entitlement.NO_DATE) {
      node.put(field, millis);
    }
  }

  private static boolean isMetered(JsonNode feature) {
    String meter = feature.path("meterType").asText("");
    return "NUMBER".equals(feature.path("featureType").asText()) && ("Incremental".equals(meter)
        || "Fluctuating".equals(meter));
  }

  private static JsonNode number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? NODES.numberNode((long) value) : NODES.numberNode(value);
  }
}
