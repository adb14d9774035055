package dev.stiggsidecar.sidecar.usage;

import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.upstream.UsageEvent;
import dev.stiggsidecar.stigg.upstream.UsageMeasurement;
import dev.stiggsidecar.stigg.upstream.UsageReport;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Offline mode: reports go nowhere, as in Stigg's SDK offline. Each is acknowledged with a random
 * measurement id and no usage, so callers can tell nothing was counted.
 */
public final class OfflineUsageReporter implements UsageReporter {

  @Override
  public CompletableFuture<UsageMeasurement> report(UsageReport report) {
    return CompletableFuture.completedFuture(acknowledge(report));
  }

  @Override
  public CompletableFuture<List<UsageMeasurement>> reportBulk(List<UsageReport> reports) {
    return CompletableFuture.completedFuture(reports.stream().map(OfflineUsageReporter::acknowledge).toList());
  }

  @Override
  public CompletableFuture<Void> reportEvents(List<UsageEvent> events) {
    return CompletableFuture.completedFuture(null);
  }

  private static UsageMeasurement acknowledge(UsageReport report) {
    return new UsageMeasurement(UUID.randomUUID().toString(), report.key(), report.featureId(), OptionalDouble.empty(),
        Entitlement.NO_DATE, Entitlement.NO_DATE, System.currentTimeMillis());
  }
}
