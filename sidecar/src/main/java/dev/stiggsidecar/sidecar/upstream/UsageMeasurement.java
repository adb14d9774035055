package dev.stiggsidecar.sidecar.upstream;

import dev.stiggsidecar.sidecar.entitlement.EntityKey;
import java.util.OptionalDouble;

/**
 * What Stigg answers to a usage report: the measurement id and the customer's usage after it.
 * Dates are epoch milliseconds or {@link dev.stiggsidecar.sidecar.entitlement.Usage#NO_DATE}.
 */
public record UsageMeasurement(String measurementId, EntityKey key, String featureId, OptionalDouble currentUsage,
    long periodStart, long periodEnd, long timestamp) {}
