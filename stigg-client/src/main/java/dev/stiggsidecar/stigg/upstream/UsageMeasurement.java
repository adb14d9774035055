package dev.stiggsidecar.stigg.upstream;

import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.OptionalDouble;

/**
 * What Stigg answers to a usage report: the measurement id and the customer's usage after it.
 * Dates are epoch milliseconds or {@link dev.stiggsidecar.stigg.entitlement.Entitlement#NO_DATE}.
 */
public record UsageMeasurement(String measurementId, EntityKey key, String featureId, OptionalDouble currentUsage,
    long periodStart, long periodEnd, long timestamp) {}
