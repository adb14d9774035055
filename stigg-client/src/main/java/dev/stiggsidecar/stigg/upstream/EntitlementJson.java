package dev.stiggsidecar.stigg.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stiggsidecar.stigg.entitlement.CreditRate;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.DenialReason;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.Feature;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.MeterType;
import dev.stiggsidecar.stigg.entitlement.ResetConfiguration;
import dev.stiggsidecar.stigg.entitlement.ResetPeriod;
import dev.stiggsidecar.stigg.entitlement.UsageWindow;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Stigg's GraphQL {@code EntitlementFragment} (from Edge, GraphQL and real-time pushes alike)
 * into compact {@link Entitlement}s. Missing fields are tolerated as Stigg's SDK tolerates them; an
 * entitlement without a usable feature cannot be checked and is counted, not kept.
 */
public final class EntitlementJson {

  private final FeatureCatalog features;

  public EntitlementJson(FeatureCatalog features) {
    this.features = features;
  }

  /** A whole entitlement list, as one cache entry fetched at {@code fetchedAtNanos}. */
  public CustomerEntitlements entitlements(JsonNode list, long fetchedAtNanos) {
    List<Entitlement> entitlements = new ArrayList<>();
    int featureless = 0;
    if (list != null && list.isArray()) {
      for (JsonNode fragment : list) {
        Optional<Entitlement> entitlement = entitlement(fragment);
        if (entitlement.isPresent()) {
          entitlements.add(entitlement.get());
        } else {
          featureless++;
        }
      }
    }
    return CustomerEntitlements.of(entitlements, featureless, fetchedAtNanos);
  }

  public Optional<Entitlement> entitlement(JsonNode fragment) {
    JsonNode featureNode = fragment.path("feature");
    String refId = featureNode.path("refId").asText("");
    Optional<FeatureType> type = FeatureType.fromGraphql(featureNode.path("featureType").asText(""));
    if (refId.isEmpty() || type.isEmpty()) {
      return Optional.empty();
    }
    Feature feature = features.intern(new Feature(refId, type.get(),
        MeterType.fromGraphql(featureNode.path("meterType").asText("")),
        textOrNull(featureNode.path("featureUnits")), textOrNull(featureNode.path("featureUnitsPlural"))));
    Entitlement.Builder builder = Entitlement.builder(feature)
        .unlimited(fragment.path("hasUnlimitedUsage").asBoolean(false))
        .softLimit(fragment.path("hasSoftLimit").asBoolean(false))
        .validUntil(date(fragment.path("validUntil")));
    if (fragment.path("usageLimit").isNumber()) {
      builder.usageLimit(fragment.get("usageLimit").asDouble());
    }
    String reason = textOrNull(fragment.path("accessDeniedReason"));
    if (reason != null) {
      builder.denialReason(DenialReason.fromGraphql(reason));
    }
    JsonNode enumValues = fragment.path("enumValues");
    if (enumValues.isArray() && !enumValues.isEmpty()) {
      List<String> values = new ArrayList<>(enumValues.size());
      enumValues.forEach(value -> values.add(value.asText()));
      builder.enumValues(features.intern(values));
    }
    JsonNode creditRate = fragment.path("creditRate");
    if (creditRate.isObject() && creditRate.path("currencyId").isTextual()) {
      builder.creditRate(new CreditRate(creditRate.path("amount").asDouble(0), creditRate.get("currencyId").asText()));
    }
    double currentUsage = fragment.path("currentUsage").asDouble(0);
    // A number without a meter type still carries usage: Stigg's engine decides it by the usage rule.
    boolean unmeteredNumber = type.get() == FeatureType.NUMBER && feature.meterType().isEmpty() && currentUsage != 0;
    if (feature.isMetered() || unmeteredNumber) {
      builder.usage(currentUsage, features.intern(new UsageWindow(
          ResetPeriod.fromGraphql(fragment.path("resetPeriod").asText("")),
          resetConfiguration(fragment.path("resetPeriodConfiguration")).map(features::intern),
          date(fragment.path("usagePeriodAnchor")), date(fragment.path("usagePeriodStart")),
          periodEnd(fragment))));
    }
    return Optional.of(features.intern(builder.build()));
  }

  /** Epoch milliseconds of an ISO-8601 string or an epoch-millisecond number; absent otherwise. */
  public static long date(JsonNode node) {
    if (node.isNumber()) {
      return node.asLong();
    }
    if (node.isTextual()) {
      try {
        return Instant.parse(node.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        return Entitlement.NO_DATE;
      }
    }
    return Entitlement.NO_DATE;
  }

  /** The usage window end; older payloads carry only {@code nextResetDate}. */
  public static long periodEnd(JsonNode node) {
    long end = date(node.path("usagePeriodEnd"));
    return end != Entitlement.NO_DATE ? end : date(node.path("nextResetDate"));
  }

  private static Optional<ResetConfiguration> resetConfiguration(JsonNode node) {
    if (!node.isObject()) {
      return Optional.empty();
    }
    String typename = node.path("__typename").asText("");
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().endsWith("AccordingTo") && field.getValue().isTextual()) {
        return Optional.of(new ResetConfiguration(typename, field.getKey(), field.getValue().asText()));
      }
    }
    return Optional.empty();
  }

  /** Text, or null when absent or empty: Stigg and its Redis format write an absent unit as either. */
  private static String textOrNull(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }
}
