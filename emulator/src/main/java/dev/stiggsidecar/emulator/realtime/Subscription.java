package dev.stiggsidecar.emulator.realtime;

import java.util.Arrays;
import java.util.Optional;

/** The real-time subscriptions Stigg's SDKs open, by operation name and root field. */
public enum Subscription {
  ENTITLEMENTS_UPDATED("OnEntitlementsUpdated", "entitlementsUpdated"),
  USAGE_UPDATED("OnUsageUpdated", "usageUpdated"),
  PACKAGE_PUBLISHED("OnPackagePublished", "packagePublished"),
  CREDIT_BALANCE_UPDATED("OnCreditBalanceUpdated", "creditBalanceUpdated");

  private final String operationName;
  private final String field;

  Subscription(String operationName, String field) {
    this.operationName = operationName;
    this.field = field;
  }

  public String operationName() {
    return operationName;
  }

  public String field() {
    return field;
  }

  /**
   * The subscription a {@code subscribe} message asks for: by its operation name, or else by the
   * root field its document selects.
   */
  static Optional<Subscription> resolve(String operationName, String query) {
    Optional<Subscription> byName = Arrays.stream(values())
        .filter(subscription -> subscription.operationName.equals(operationName))
        .findFirst();
    return byName.or(() -> Arrays.stream(values())
        .filter(subscription -> query.matches("(?s).*\\{\\s*" + subscription.field + "\\b.*"))
        .findFirst());
  }

  static String known() {
    return String.join(", ", Arrays.stream(values()).map(Subscription::operationName).toList());
  }
}
