package dev.stiggsidecar.sidecar.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stiggsidecar.sidecar.cache.EntitlementUpdates;
import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.realtime.RealtimeHandler;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Stigg's real-time events to the store, as Stigg's engine does:
 * <ul>
 *   <li>{@code entitlementsUpdated}: the entry is replaced (created if it was not cached);
 *   <li>{@code usageUpdated}: a cached feature's usage and window are set; uncached ones ignored;
 *   <li>{@code packagePublished} to {@code ALL_CUSTOMERS}: everything is forgotten, so the next
 *       check of each customer refetches; {@code NEW_CUSTOMERS} changes nothing cached;
 *   <li>{@code creditBalanceUpdated}: entitlements priced in the currency are denied at a balance of
 *       zero or less, and allowed again above it.
 * </ul>
 */
public final class RealtimeUpdates implements RealtimeHandler {

  private static final Logger log = LoggerFactory.getLogger(RealtimeUpdates.class);

  private final EntitlementUpdates store;
  private final EntitlementJson json;

  public RealtimeUpdates(EntitlementUpdates store, EntitlementJson json) {
    this.store = store;
    this.json = json;
  }

  @Override
  public void connected() {
    store.realtimeConnected(true);
  }

  @Override
  public void disconnected() {
    store.realtimeConnected(false);
  }

  @Override
  public void entitlementsUpdated(JsonNode payload) {
    EntityKey key = key(payload);
    store.replace(key, json.entitlements(payload.path("entitlements"), System.nanoTime()));
    log.debug("entitlements of {} replaced by a real-time update", key);
  }

  @Override
  public void usageUpdated(JsonNode payload) {
    JsonNode usage = payload.path("usage");
    if (!usage.path("currentUsage").isNumber() || !usage.path("featureId").isTextual()) {
      return;
    }
    store.updateUsage(key(usage), usage.get("featureId").asText(), usage.get("currentUsage").asDouble(),
        EntitlementJson.date(usage.path("usagePeriodStart")), EntitlementJson.periodEnd(usage));
  }

  @Override
  public void packagePublished(JsonNode payload) {
    if ("ALL_CUSTOMERS".equals(payload.path("migrationType").asText())) {
      log.info("a package was published to all customers: cached entitlements cleared");
      store.clear();
    }
  }

  @Override
  public void creditBalanceUpdated(JsonNode payload) {
    JsonNode currency = payload.path("currency");
    String currencyId = currency.path("currencyId").asText(payload.path("currencyId").asText(""));
    if (currencyId.isEmpty() || !payload.path("currentBalance").isNumber()) {
      return;
    }
    store.applyCreditBalance(key(payload), new CreditBalance(currencyId,
        currency.path("displayName").asText(currencyId), currency.path("units").path("singular").asText(""),
        currency.path("units").path("plural").asText(""), payload.get("currentBalance").asDouble(),
        payload.path("totalConsumed").asDouble(0), payload.path("totalGranted").asDouble(0),
        EntitlementJson.date(payload.path("validUntil"))));
  }

  private static EntityKey key(JsonNode node) {
    JsonNode resource = node.path("resourceId");
    return EntityKey.of(node.path("customerId").asText(""), resource.isTextual() ? resource.asText() : null);
  }
}
