package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A customer's balance in one credit currency. Mutable, and guarded by the owning {@link Catalog}.
 */
public final class CreditBalance {

  private final String currencyId;
  private final String displayName;
  private final String unitSingular;
  private final String unitPlural;
  private double granted;
  private double consumed;

  public CreditBalance(String currencyId, String displayName, String unitSingular, String unitPlural,
      double granted, double consumed) {
    this.currencyId = currencyId;
    this.displayName = displayName;
    this.unitSingular = unitSingular;
    this.unitPlural = unitPlural;
    this.granted = granted;
    this.consumed = consumed;
  }

  public String currencyId() {
    return currencyId;
  }

  double currentBalance() {
    return granted - consumed;
  }

  void consume(double amount) {
    consumed += amount;
  }

  /** Grants or takes back whatever makes the balance {@code balance}. */
  void setCurrentBalance(double balance) {
    granted = consumed + balance;
  }

  /** The {@code creditBalanceUpdated} subscription payload for this balance. */
  ObjectNode toPush(EntityKey key) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode payload = json.objectNode();
    ObjectNode currency = payload.putObject("currency");
    currency.put("currencyId", currencyId);
    currency.put("displayName", displayName);
    currency.putNull("symbol");
    ObjectNode units = currency.putObject("units");
    units.put("singular", unitSingular);
    units.put("plural", unitPlural);
    units.put("__typename", "CurrencyUnits");
    currency.put("__typename", "Currency");
    payload.put("currencyId", currencyId);
    payload.set("currentBalance", WireValues.number(currentBalance()));
    payload.put("customerId", key.customerId());
    payload.putNull("validUntil");
    payload.put("resourceId", key.resourceId().orElse(null));
    payload.set("totalConsumed", WireValues.number(consumed));
    payload.set("totalGranted", WireValues.number(granted));
    payload.put("__typename", "CreditBalanceUpdated");
    return payload;
  }
}
