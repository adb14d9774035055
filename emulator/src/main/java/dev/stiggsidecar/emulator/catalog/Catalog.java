package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The emulator's state: the entitlements of each customer and resource, their usage, credit
 * balances and per-customer faults.
 *
 * <p>Entitlements are kept in their complete GraphQL shape ({@link EntitlementShape}) so that every
 * transport (Edge, GraphQL, websocket pushes) serves the same bytes. Usage windows roll over on
 * read, as they do at Stigg: once a window ends, usage starts again from zero in the next one.
 *
 * <p>Thread-safe: every method holds the catalog's lock, and callers only ever get copies.
 */
public final class Catalog {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Clock clock;
  private final Map<EntityKey, List<ObjectNode>> entitlements = new LinkedHashMap<>();
  private final Map<EntityKey, CustomerFault> faults = new LinkedHashMap<>();
  private final Map<EntityKey, Map<String, CreditBalance>> credits = new LinkedHashMap<>();

  public Catalog(Clock clock) {
    this.clock = clock;
  }

  /** The entitlements of {@code key}, or empty when Stigg would not know that customer/resource. */
  public synchronized Optional<ArrayNode> entitlementsOf(EntityKey key) {
    List<ObjectNode> stored = entitlements.get(key);
    if (stored == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    ArrayNode copy = JSON.arrayNode();
    for (ObjectNode entitlement : stored) {
      rollUsageWindow(entitlement, now);
      copy.add(entitlement.deepCopy());
    }
    return Optional.of(copy);
  }

  /**
   * Replaces the entitlements of {@code key} with the validated and normalized {@code input} list.
   *
   * @return the stored entitlements, for an {@code entitlementsUpdated} push
   * @throws CatalogException naming every invalid field as {@code entitlements[i].field}
   */
  public synchronized ArrayNode replace(EntityKey key, JsonNode input) throws CatalogException {
    Problems problems = new Problems();
    if (!input.isArray()) {
      problems.add("entitlements", "must be a list of entitlements");
    } else {
      for (int i = 0; i < input.size(); i++) {
        EntitlementShape.validate(input.get(i), "entitlements[" + i + "]", problems);
      }
    }
    problems.throwIfAny(path -> path + ": ");
    Instant now = clock.instant();
    List<ObjectNode> normalized = new ArrayList<>();
    input.forEach(entitlement -> normalized.add(EntitlementShape.normalize(entitlement, key, now)));
    entitlements.put(key, normalized);
    credits.getOrDefault(key, Map.of()).values().forEach(balance -> applyCreditState(key, balance));
    return entitlementsOf(key).orElseThrow();
  }

  /** Forgets {@code key} and its credits and fault; answers whether it existed. */
  public synchronized boolean remove(EntityKey key) {
    faults.remove(key);
    credits.remove(key);
    return entitlements.remove(key) != null;
  }

  public synchronized Optional<CustomerFault> faultOf(EntityKey key) {
    return Optional.ofNullable(faults.get(key));
  }

  public synchronized void setFault(EntityKey key, Optional<CustomerFault> fault) {
    fault.ifPresentOrElse(value -> faults.put(key, value), () -> faults.remove(key));
  }

  /** Grants credits of a currency to {@code key} (data files). */
  public synchronized void grantCredits(EntityKey key, CreditBalance balance) {
    credits.computeIfAbsent(key, ignored -> new LinkedHashMap<>()).put(balance.currencyId(), balance);
    applyCreditState(key, balance);
  }

  /**
   * Applies a usage report as Stigg does: DELTA adds, SET replaces, inside the current usage window.
   * A feature that consumes credits draws its credit balance down by value × rate.
   *
   * @throws CatalogException when the customer, resource or metered feature is unknown
   */
  public synchronized UsageChange reportUsage(UsageReport report) throws CatalogException {
    ObjectNode entitlement = meteredEntitlement(report.key(), report.featureId());
    Instant now = clock.instant();
    rollUsageWindow(entitlement, now);
    double current = entitlement.path("currentUsage").asDouble(0);
    double updated = report.set() ? report.value() : current + report.value();
    Instant timestamp = report.createdAt().orElse(now);
    entitlement.set("currentUsage", WireValues.number(updated));
    entitlement.put("usageUpdatedAt", WireValues.date(now));
    Optional<ObjectNode> creditPush = Optional.empty();
    JsonNode rate = entitlement.path("creditRate");
    if (rate.isObject() && !report.set()) {
      CreditBalance balance = credits.getOrDefault(report.key(), Map.of()).get(rate.path("currencyId").asText());
      if (balance != null) {
        balance.consume(report.value() * rate.path("amount").asDouble());
        applyCreditState(report.key(), balance);
        creditPush = Optional.of(balance.toPush(report.key()));
      }
    }
    return new UsageChange(measurement(entitlement, report.key(), report.featureId(), timestamp),
        usageUpdated(entitlement, report.key(), report.featureId()), creditPush);
  }

  /**
   * Applies several reports all-or-nothing: if any names an unknown customer or feature, none is
   * applied.
   */
  public synchronized List<UsageChange> reportUsageBulk(List<UsageReport> reports) throws CatalogException {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      try {
        meteredEntitlement(reports.get(i).key(), reports.get(i).featureId());
      } catch (CatalogException e) {
        problems.add("usages[" + i + "]: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new CatalogException(problems);
    }
    List<UsageChange> changes = new ArrayList<>();
    for (UsageReport report : reports) {
      changes.add(reportUsage(report));
    }
    return changes;
  }

  /** Sets a feature's current usage directly (admin), as if Stigg had recomputed it. */
  public synchronized UsageChange setUsage(EntityKey key, String featureId, double currentUsage)
      throws CatalogException {
    return reportUsage(new UsageReport(key, featureId, currentUsage, true, Optional.empty()));
  }

  /**
   * Sets the current credit balance of a currency (admin) and updates the access of entitlements
   * priced in it.
   *
   * @return the {@code creditBalanceUpdated} push
   */
  public synchronized ObjectNode setCreditBalance(EntityKey key, String currencyId, double currentBalance) {
    CreditBalance balance = credits.computeIfAbsent(key, ignored -> new LinkedHashMap<>())
        .computeIfAbsent(currencyId, id -> new CreditBalance(id, id, "credit", "credits", currentBalance, 0));
    balance.setCurrentBalance(currentBalance);
    applyCreditState(key, balance);
    return balance.toPush(key);
  }

  public synchronized List<EntityKey> keys() {
    return List.copyOf(entitlements.keySet());
  }

  private ObjectNode meteredEntitlement(EntityKey key, String featureId) throws CatalogException {
    List<ObjectNode> stored = entitlements.get(key);
    if (stored == null) {
      throw new CatalogException(key.resourceId().isPresent()
          ? "Customer resource not found: " + key
          : "Customer not found: " + key.customerId());
    }
    return stored.stream()
        .filter(entitlement -> featureId.equals(entitlement.path("feature").path("refId").asText()))
        .filter(entitlement -> EntitlementShape.isMetered(entitlement.path("feature")))
        .findFirst()
        .orElseThrow(() -> new CatalogException(
            "Feature " + featureId + " is not a metered feature of " + key));
  }

  private void rollUsageWindow(ObjectNode entitlement, Instant now) {
    Optional<ResetPeriod> period = ResetPeriod.parse(entitlement.path("resetPeriod").asText(""));
    JsonNode anchor = entitlement.path("usagePeriodAnchor");
    if (period.isEmpty() || !anchor.isTextual()) {
      return;
    }
    ResetPeriod.UsageWindow window = period.get().windowAt(Instant.parse(anchor.asText()), now);
    String start = WireValues.date(window.start());
    if (!start.equals(entitlement.path("usagePeriodStart").asText())) {
      entitlement.put("currentUsage", 0);
      entitlement.put("usagePeriodStart", start);
      entitlement.put("usagePeriodEnd", WireValues.date(window.end()));
      entitlement.put("nextResetDate", WireValues.date(window.end()));
    }
  }

  private void applyCreditState(EntityKey key, CreditBalance balance) {
    for (ObjectNode entitlement : entitlements.getOrDefault(key, List.of())) {
      if (!balance.currencyId().equals(entitlement.path("creditRate").path("currencyId").asText(null))) {
        continue;
      }
      String reason = entitlement.path("accessDeniedReason").asText(null);
      if (balance.currentBalance() <= 0 && reason == null) {
        entitlement.put("accessDeniedReason", "InsufficientCredits");
        entitlement.put("isGranted", false);
      } else if (balance.currentBalance() > 0 && "InsufficientCredits".equals(reason)) {
        entitlement.putNull("accessDeniedReason");
        entitlement.put("isGranted", true);
      }
    }
  }

  private static ObjectNode measurement(ObjectNode entitlement, EntityKey key, String featureId, Instant timestamp) {
    ObjectNode measurement = JSON.objectNode();
    measurement.put("id", UUID.randomUUID().toString());
    measurement.put("featureId", featureId);
    measurement.put("customerId", key.customerId());
    measurement.put("resourceId", key.resourceId().orElse(null));
    measurement.set("currentUsage", entitlement.get("currentUsage"));
    measurement.set("usagePeriodStart", entitlement.get("usagePeriodStart"));
    measurement.set("usagePeriodEnd", entitlement.get("usagePeriodEnd"));
    measurement.set("nextResetDate", entitlement.get("nextResetDate"));
    measurement.put("timestamp", WireValues.date(timestamp));
    measurement.put("__typename", "UsageMeasurementWithCurrentUsage");
    return measurement;
  }

  private static ObjectNode usageUpdated(ObjectNode entitlement, EntityKey key, String featureId) {
    ObjectNode payload = JSON.objectNode();
    ObjectNode usage = payload.putObject("usage");
    usage.put("customerId", key.customerId());
    usage.put("resourceId", key.resourceId().orElse(null));
    usage.put("featureId", featureId);
    usage.set("currentUsage", entitlement.get("currentUsage"));
    usage.set("usagePeriodStart", entitlement.get("usagePeriodStart"));
    usage.set("usagePeriodEnd", entitlement.get("usagePeriodEnd"));
    usage.set("nextResetDate", entitlement.get("nextResetDate"));
    usage.put("__typename", "UsageMeasurementUpdated");
    payload.set("entitlement", entitlement.deepCopy());
    payload.put("__typename", "UsageUpdated");
    return payload;
  }
}
