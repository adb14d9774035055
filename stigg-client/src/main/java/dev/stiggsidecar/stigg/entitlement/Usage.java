package dev.stiggsidecar.stigg.entitlement;

import java.util.Objects;
import java.util.Optional;

/**
 * The usage side of a metered entitlement: current usage and the window it counts in. Dates are
 * epoch milliseconds, {@link #NO_DATE} when absent.
 */
public final class Usage {

  public static final long NO_DATE = Long.MIN_VALUE;

  private final double currentUsage;
  private final ResetPeriod resetPeriod;
  private final ResetConfiguration resetConfiguration;
  private final long periodAnchor;
  private final long periodStart;
  private final long periodEnd;

  public Usage(double currentUsage, Optional<ResetPeriod> resetPeriod, Optional<ResetConfiguration> resetConfiguration,
      long periodAnchor, long periodStart, long periodEnd) {
    this.currentUsage = currentUsage;
    this.resetPeriod = resetPeriod.orElse(null);
    this.resetConfiguration = resetConfiguration.orElse(null);
    this.periodAnchor = periodAnchor;
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
  }

  public double currentUsage() {
    return currentUsage;
  }

  public Optional<ResetPeriod> resetPeriod() {
    return Optional.ofNullable(resetPeriod);
  }

  public Optional<ResetConfiguration> resetConfiguration() {
    return Optional.ofNullable(resetConfiguration);
  }

  public long periodAnchor() {
    return periodAnchor;
  }

  public long periodStart() {
    return periodStart;
  }

  public long periodEnd() {
    return periodEnd;
  }

  /** The same window with another current usage and window bounds (a usage push or report). */
  public Usage withCurrent(double usage, long start, long end) {
    return new Usage(usage, resetPeriod(), resetConfiguration(), periodAnchor,
        start == NO_DATE ? periodStart : start, end == NO_DATE ? periodEnd : end);
  }

  /**
   * This usage as of {@code nowMillis}: unchanged while the window is open; once it has ended,
   * zero usage in the window that contains now (anchor plus whole periods), as Stigg's engine does
   * locally instead of asking upstream.
   */
  public Usage rolledOver(long nowMillis) {
    if (periodEnd == NO_DATE || periodEnd >= nowMillis) {
      return this;
    }
    long start = periodStart;
    long end = periodEnd;
    if (resetPeriod != null && periodAnchor != NO_DATE) {
      long periods = resetPeriod.wholePeriodsSince(periodAnchor, nowMillis);
      start = resetPeriod.advance(periodAnchor, periods);
      end = resetPeriod.advance(periodAnchor, periods + 1);
    }
    return new Usage(0, resetPeriod(), resetConfiguration(), periodAnchor, start, end);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof Usage that
        && Double.doubleToLongBits(currentUsage) == Double.doubleToLongBits(that.currentUsage)
        && periodAnchor == that.periodAnchor
        && periodStart == that.periodStart
        && periodEnd == that.periodEnd
        && resetPeriod == that.resetPeriod
        && Objects.equals(resetConfiguration, that.resetConfiguration);
  }

  @Override
  public int hashCode() {
    int hash = Double.hashCode(currentUsage);
    hash = 31 * hash + Long.hashCode(periodAnchor);
    hash = 31 * hash + Long.hashCode(periodStart);
    hash = 31 * hash + Long.hashCode(periodEnd);
    hash = 31 * hash + Objects.hashCode(resetPeriod);
    return 31 * hash + Objects.hashCode(resetConfiguration);
  }
}
