package dev.stiggsidecar.sidecar.usage;

import dev.stiggsidecar.stigg.upstream.UsageEvent;
import dev.stiggsidecar.stigg.upstream.UsageMeasurement;
import dev.stiggsidecar.stigg.upstream.UsageReport;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reports usage and events to Stigg. Nothing is buffered or dropped: each report either reaches
 * Stigg, or its future fails with the cause and the caller gets an error.
 */
public interface UsageReporter {

  CompletableFuture<UsageMeasurement> report(UsageReport report);

  CompletableFuture<List<UsageMeasurement>> reportBulk(List<UsageReport> reports);

  CompletableFuture<Void> reportEvents(List<UsageEvent> events);
}
