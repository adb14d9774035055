package dev.stiggsidecar.stigg.entitlement;

/**
 * A customer's balance in one credit currency, as Stigg's {@code creditBalanceUpdated} pushes it.
 *
 * @param validUntil epoch milliseconds, or {@link Entitlement#NO_DATE}
 */
public record CreditBalance(String currencyId, String displayName, String unitSingular, String unitPlural,
    double currentBalance, double totalConsumed, double totalGranted, long validUntil) {}
