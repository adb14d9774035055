package dev.stiggsidecar.stigg.entitlement;

/** What one unit of a credit-priced feature costs, in credits of {@code currencyId}. */
public record CreditRate(double amount, String currencyId) {}
