package dev.stiggsidecar.emulator.catalog;

import java.time.Instant;
import java.util.Optional;

/**
 * One usage measurement as a client reports it ({@code ReportUsageInput}).
 *
 * @param set {@code true} for {@code updateBehavior: SET} (absolute), {@code false} for DELTA
 */
public record UsageReport(EntityKey key, String featureId, double value, boolean set,
    Optional<Instant> createdAt) {}
