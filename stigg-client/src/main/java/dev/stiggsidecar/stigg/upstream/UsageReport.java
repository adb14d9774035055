package dev.stiggsidecar.stigg.upstream;

import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A usage report as Stigg's {@code ReportUsageInput} takes it.
 *
 * @param updateBehavior {@code DELTA} or {@code SET}; absent lets Stigg apply its default (DELTA)
 * @param dimensions string, number or boolean values
 */
public record UsageReport(EntityKey key, String featureId, double value, Optional<String> updateBehavior,
    Optional<Instant> createdAt, Map<String, Object> dimensions) {

  public UsageReport {
    dimensions = Map.copyOf(dimensions);
  }
}
