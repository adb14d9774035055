package dev.stiggsidecar.sidecar.usage;

import dev.stiggsidecar.sidecar.cache.EntitlementUpdates;
import dev.stiggsidecar.stigg.upstream.StiggApiClient;
import dev.stiggsidecar.stigg.upstream.UsageEvent;
import dev.stiggsidecar.stigg.upstream.UsageMeasurement;
import dev.stiggsidecar.stigg.upstream.UsageReport;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reports to Stigg's GraphQL API and then sets the cached usage to what Stigg answered: Stigg is
 * authoritative, the sidecar never adds usage up locally.
 */
public final class StiggUsageReporter implements UsageReporter {

  private final StiggApiClient upstream;
  private final EntitlementUpdates store;

  public StiggUsageReporter(StiggApiClient upstream, EntitlementUpdates store) {
    this.upstream = upstream;
    this.store = store;
  }

  @Override
  public CompletableFuture<UsageMeasurement> report(UsageReport report) {
    return upstream.reportUsage(report).thenApply(measurement -> {
      remember(measurement);
      return measurement;
    });
  }

  @Override
  public CompletableFuture<List<UsageMeasurement>> reportBulk(List<UsageReport> reports) {
    return upstream.reportUsageBulk(reports).thenApply(measurements -> {
      measurements.forEach(this::remember);
      return measurements;
    });
  }

  @Override
  public CompletableFuture<Void> reportEvents(List<UsageEvent> events) {
    return upstream.reportEvents(events);
  }

  private void remember(UsageMeasurement measurement) {
    measurement.currentUsage().ifPresent(usage -> store.updateUsage(measurement.key(), measurement.featureId(),
        usage, measurement.periodStart(), measurement.periodEnd()));
  }
}
