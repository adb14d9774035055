package dev.stiggsidecar.stigg.upstream;

import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A raw usage event for Stigg's {@code ReportEvent} mutation. */
public record UsageEvent(String eventName, EntityKey key, String idempotencyKey, Optional<Instant> timestamp,
    Map<String, Object> dimensions) {

  public UsageEvent {
    dimensions = Map.copyOf(dimensions);
  }
}
