package dev.stiggsidecar.benchmarks.faults;

import java.time.Duration;
import java.util.Optional;

/**
 * What one scenario of the fault matrix observed.
 *
 * @param checks checks answered (whatever the answer)
 * @param checkErrors checks that failed (an error status, or no answer within the client's deadline)
 * @param fallbacks checks answered with a fallback
 * @param usageAcknowledged usage reports the caller was told succeeded
 * @param usageRefused usage reports the caller was told failed
 * @param usageReceived usage reports Stigg (the emulator) applied: at least {@code usageAcknowledged}
 *     when nothing is lost silently; more when a report reached Stigg after the caller had been told
 *     it failed (it timed out on the way back)
 * @param staleness how long after the fault healed the sidecar still answered an entitlement
 *     changed during the fault; empty when it had not caught up within the limit
 * @param upstreamFetches entitlement fetches Stigg served during the scenario
 * @param peakFetchesPerSecond the most fetches in any one second of it
 * @param errorCodes the gRPC codes of failed checks and reports, with their counts
 */
public record Outcome(String scenario, long checks, long checkErrors, long fallbacks, long usageAcknowledged,
    long usageRefused, long usageReceived, Optional<Duration> staleness, long upstreamFetches,
    long peakFetchesPerSecond, String errorCodes) {

  /** Usage acknowledged to the caller but never applied by Stigg. */
  public long usageLost() {
    return Math.max(0, usageAcknowledged - usageReceived);
  }
}
