package dev.stiggsidecar.benchmarks.faults;

import java.time.Duration;
import java.util.List;

/** The matrix as a Markdown table, and one scenario as a line of progress. */
final class MatrixTable {

  private MatrixTable() {}

  static String row(Outcome outcome) {
    return "| " + outcome.scenario() + " | " + outcome.checks() + " | " + outcome.checkErrors() + " | "
        + outcome.fallbacks() + " | " + outcome.usageAcknowledged() + " / " + outcome.usageRefused() + " / "
        + outcome.usageReceived() + " | " + outcome.usageLost() + " | " + staleness(outcome) + " | "
        + outcome.upstreamFetches() + " (" + outcome.peakFetchesPerSecond() + ") |";
  }

  static String markdown(List<Outcome> outcomes, FaultMatrix.Settings settings) {
    StringBuilder table = new StringBuilder();
    table.append("# Fault matrix\n\n");
    table.append("Each scenario on a fresh rig under ").append(FaultMatrix.CHECKS_PER_SECOND)
        .append(" checks and ").append(FaultMatrix.REPORTS_PER_SECOND).append(" usage reports a second (")
        .append(seconds(settings.before())).append(" before the fault, the fault for ")
        .append(seconds(settings.fault())).append(", at least ").append(seconds(settings.after()))
        .append(" after the mend); sidecars with `UPSTREAM_TIMEOUT_MS=").append(FaultMatrix.UPSTREAM_TIMEOUT.toMillis())
        .append("` and `CACHE_MAX_STALENESS_SECS=").append(FaultMatrix.MAX_STALENESS.toSeconds())
        .append("`, `CACHE_REVALIDATION_RATE=").append(FaultMatrix.REVALIDATION_RATE)
        .append("`, the client's deadline ").append(SteadyLoad.DEADLINE_SECONDS).append(" s. Staleness: how long after")
        .append(" the mend a change made in Stigg during the fault was still not answered (0: answered by the mend).\n\n");
    table.append("| scenario | checks | failed | fallbacks | usage acked / refused / reached Stigg | usage lost "
        + "| staleness after mend | fetches from Stigg (busiest second) |\n");
    table.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    outcomes.forEach(outcome -> table.append(row(outcome)).append('\n'));
    return table.toString();
  }

  private static String staleness(Outcome outcome) {
    return outcome.staleness().map(duration -> duration.toMillis() + " ms").orElse("not caught up");
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
