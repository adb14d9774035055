package dev.stiggsidecar.sidecar.decision;

/** One entry of the global fallbacks, listed when a customer's entitlements cannot be had. */
public record ListedFallback(String featureId, Decision decision) {}
