package dev.stiggsidecar.sidecar.grpc;

import com.google.protobuf.Timestamp;
import dev.stiggsidecar.sidecar.decision.Check;
import dev.stiggsidecar.sidecar.decision.CheckKind;
import dev.stiggsidecar.sidecar.decision.FallbackValue;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.upstream.UsageEvent;
import dev.stiggsidecar.stigg.upstream.UsageReport;
import io.stigg.sidecar.proto.v1.BooleanEntitlementOptions;
import io.stigg.sidecar.proto.v1.EnumEntitlementOptions;
import io.stigg.sidecar.proto.v1.Event;
import io.stigg.sidecar.proto.v1.EventDimensionValue;
import io.stigg.sidecar.proto.v1.GetEntitlementOptions;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import io.stigg.sidecar.proto.v1.NumericEntitlementOptions;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import io.stigg.sidecar.proto.v1.UsageUpdateBehavior;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Turns requests into domain values, rejecting what breaks the contract with a message that names
 * the field: empty or oversized ids, non-finite numbers, unknown enum values, dimensions without a
 * value. A {@code resource_id} that is set but empty means "no resource", as in Stigg's SDKs.
 */
final class RequestMapper {

  /** Longest id accepted; Stigg's ids are far shorter, so anything longer is a client bug. */
  static final int MAX_ID_LENGTH = 255;
  /** Most usages or events in one bulk request. */
  static final int MAX_BATCH = 1_000;

  private RequestMapper() {}

  static EntityKey key(String customerId, boolean hasResource, String resourceId) throws InvalidRequest {
    return key("customer_id", customerId, "resource_id", hasResource, resourceId);
  }

  static String featureId(String featureId) throws InvalidRequest {
    return id("feature_id", featureId);
  }

  static String currencyId(String currencyId) throws InvalidRequest {
    return id("currency_id", currencyId);
  }

  static Check booleanCheck(String featureId, boolean hasOptions, BooleanEntitlementOptions options)
      throws InvalidRequest {
    Optional<FallbackValue> fallback = hasOptions && options.hasFallback()
        ? Optional.of(FallbackValue.access(options.getFallback().getHasAccess())) : Optional.empty();
    return new Check(CheckKind.BOOLEAN, featureId(featureId), OptionalDouble.empty(), List.of(), fallback);
  }

  static Check numericCheck(String featureId, boolean hasOptions, NumericEntitlementOptions options)
      throws InvalidRequest {
    Optional<FallbackValue> fallback = Optional.empty();
    if (hasOptions && options.hasFallback()) {
      var value = options.getFallback();
      fallback = Optional.of(new FallbackValue(value.getHasAccess(),
          value.hasValue() ? OptionalInt.of(value.getValue()) : OptionalInt.empty(),
          value.hasIsUnlimited() ? Optional.of(value.getIsUnlimited()) : Optional.empty(), OptionalDouble.empty(),
          List.of()));
    }
    return new Check(CheckKind.NUMERIC, featureId(featureId), OptionalDouble.empty(), List.of(), fallback);
  }

  static Check meteredCheck(String featureId, boolean hasOptions, MeteredEntitlementOptions options)
      throws InvalidRequest {
    OptionalDouble requested = OptionalDouble.empty();
    Optional<FallbackValue> fallback = Optional.empty();
    if (hasOptions) {
      if (options.hasRequestedUsage()) {
        requested = OptionalDouble.of(finite("options.requested_usage", options.getRequestedUsage()));
      }
      if (options.hasFallback()) {
        var value = options.getFallback();
        fallback = Optional.of(new FallbackValue(value.getHasAccess(), OptionalInt.empty(),
            value.hasIsUnlimited() ? Optional.of(value.getIsUnlimited()) : Optional.empty(),
            value.hasUsageLimit() ? OptionalDouble.of(finite("options.fallback.usage_limit", value.getUsageLimit()))
                : OptionalDouble.empty(), List.of()));
      }
    }
    return new Check(CheckKind.METERED, featureId(featureId), requested, List.of(), fallback);
  }

  static Check enumCheck(String featureId, boolean hasOptions, EnumEntitlementOptions options) throws InvalidRequest {
    List<String> requested = hasOptions ? options.getRequestedValuesList() : List.of();
    Optional<FallbackValue> fallback = hasOptions && options.hasFallback()
        ? Optional.of(new FallbackValue(options.getFallback().getHasAccess(), OptionalInt.empty(), Optional.empty(),
            OptionalDouble.empty(), options.getFallback().getEnumValuesList()))
        : Optional.empty();
    return new Check(CheckKind.ENUM, featureId(featureId), OptionalDouble.empty(), requested, fallback);
  }

  static Check genericCheck(String featureId, boolean hasOptions, GetEntitlementOptions options)
      throws InvalidRequest {
    OptionalDouble requested = OptionalDouble.empty();
    List<String> values = List.of();
    Optional<FallbackValue> fallback = Optional.empty();
    if (hasOptions) {
      if (options.hasRequestedUsage()) {
        requested = OptionalDouble.of(finite("options.requested_usage", options.getRequestedUsage()));
      }
      values = options.getRequestedValuesList();
      if (options.hasFallback()) {
        var value = options.getFallback();
        fallback = Optional.of(new FallbackValue(value.getHasAccess(),
            value.hasValue() ? OptionalInt.of(value.getValue()) : OptionalInt.empty(),
            value.hasIsUnlimited() ? Optional.of(value.getIsUnlimited()) : Optional.empty(),
            value.hasUsageLimit() ? OptionalDouble.of(finite("options.fallback.usage_limit", value.getUsageLimit()))
                : OptionalDouble.empty(), value.getEnumValuesList()));
      }
    }
    return new Check(CheckKind.ANY, featureId(featureId), requested, values, fallback);
  }

  static UsageReport usageReport(ReportUsageRequest request, String prefix) throws InvalidRequest {
    EntityKey key = key(prefix + "customer_id", request.getCustomerId(), prefix + "resource_id",
        request.hasResourceId(), request.getResourceId());
    String featureId = id(prefix + "feature_id", request.getFeatureId());
    double value = finite(prefix + "value", request.getValue());
    Optional<String> behavior = Optional.empty();
    if (request.hasUpdateBehavior()) {
      UsageUpdateBehavior updateBehavior = request.getUpdateBehavior();
      behavior = switch (updateBehavior) {
        case USAGE_UPDATE_BEHAVIOR_DELTA -> Optional.of("DELTA");
        case USAGE_UPDATE_BEHAVIOR_SET -> Optional.of("SET");
        case USAGE_UPDATE_BEHAVIOR_UNSPECIFIED -> Optional.empty();
        case UNRECOGNIZED -> throw new InvalidRequest(prefix + "update_behavior", "unknown value "
            + request.getUpdateBehaviorValue() + "; use USAGE_UPDATE_BEHAVIOR_DELTA or USAGE_UPDATE_BEHAVIOR_SET");
      };
    }
    Optional<Instant> createdAt = request.hasTimestamp()
        ? Optional.of(instant(prefix + "timestamp", request.getTimestamp())) : Optional.empty();
    return new UsageReport(key, featureId, value, behavior, createdAt,
        dimensions(prefix + "dimensions", request.getDimensionsMap()));
  }

  static List<UsageReport> usageReports(List<ReportUsageRequest> usages) throws InvalidRequest {
    batch("usages", usages.size());
    java.util.ArrayList<UsageReport> reports = new java.util.ArrayList<>(usages.size());
    for (int i = 0; i < usages.size(); i++) {
      reports.add(usageReport(usages.get(i), "usages[" + i + "]."));
    }
    return reports;
  }

  static List<UsageEvent> events(List<Event> events) throws InvalidRequest {
    batch("events", events.size());
    java.util.ArrayList<UsageEvent> mapped = new java.util.ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      String prefix = "events[" + i + "].";
      mapped.add(new UsageEvent(id(prefix + "event_name", event.getEventName()),
          key(prefix + "customer_id", event.getCustomerId(), prefix + "resource_id", event.hasResourceId(),
              event.getResourceId()),
          id(prefix + "idempotency_key", event.getIdempotencyKey()),
          event.hasTimestamp() ? Optional.of(instant(prefix + "timestamp", event.getTimestamp())) : Optional.empty(),
          dimensions(prefix + "dimensions", event.getDimensionsMap())));
    }
    return mapped;
  }

  private static EntityKey key(String customerField, String customerId, String resourceField, boolean hasResource,
      String resourceId) throws InvalidRequest {
    id(customerField, customerId);
    if (hasResource && resourceId.length() > MAX_ID_LENGTH) {
      throw new InvalidRequest(resourceField, "longer than " + MAX_ID_LENGTH + " characters");
    }
    return EntityKey.of(customerId, hasResource ? resourceId : null);
  }

  private static String id(String field, String value) throws InvalidRequest {
    if (value.isBlank()) {
      throw new InvalidRequest(field, "required, must not be empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidRequest(field, "longer than " + MAX_ID_LENGTH + " characters");
    }
    return value;
  }

  private static double finite(String field, double value) throws InvalidRequest {
    if (!Double.isFinite(value)) {
      throw new InvalidRequest(field, "must be a finite number, got " + value);
    }
    return value;
  }

  private static void batch(String field, int size) throws InvalidRequest {
    if (size == 0) {
      throw new InvalidRequest(field, "must not be empty");
    }
    if (size > MAX_BATCH) {
      throw new InvalidRequest(field, "at most " + MAX_BATCH + " per request, got " + size);
    }
  }

  private static Instant instant(String field, Timestamp timestamp) throws InvalidRequest {
    if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
      throw new InvalidRequest(field, "nanos out of range");
    }
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  private static Map<String, Object> dimensions(String field, Map<String, EventDimensionValue> dimensions)
      throws InvalidRequest {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, EventDimensionValue> entry : dimensions.entrySet()) {
      EventDimensionValue value = entry.getValue();
      String where = field + "[\"" + entry.getKey() + "\"]";
      Object plain = switch (value.getValueCase()) {
        case STRING_VALUE -> value.getStringValue();
        case NUMBER_VALUE -> finite(where, value.getNumberValue());
        case BOOLEAN_VALUE -> value.getBooleanValue();
        case VALUE_NOT_SET -> throw new InvalidRequest(where, "no value set; set string_value, number_value or boolean_value");
      };
      values.put(entry.getKey(), plain);
    }
    return values;
  }
}
