package dev.stiggsidecar.stigg.entitlement;

import java.util.Objects;
import java.util.Optional;

/**
 * The window a metered entitlement's usage counts in: its reset period and configuration, anchor,
 * start and end. Dates are epoch milliseconds, {@link Entitlement#NO_DATE} when absent.
 *
 * <p>Separate from the usage itself because it repeats: a subscription's metered features share
 * one window, and so do the customers whose subscriptions reset together. {@link FeatureCatalog}
 * interns windows, so a metered entitlement holds its current usage and a reference to a shared
 * window rather than a window of its own.
 */
public final class UsageWindow {

  private final ResetPeriod resetPeriod;
  private final ResetConfiguration resetConfiguration;
  private final long periodAnchor;
  private final long periodStart;
  private final long periodEnd;

  public UsageWindow(Optional<ResetPeriod> resetPeriod, Optional<ResetConfiguration> resetConfiguration,
      long periodAnchor, long periodStart, long periodEnd) {
    this.resetPeriod = resetPeriod.orElse(null);
    this.resetConfiguration = resetConfiguration.orElse(null);
    this.periodAnchor = periodAnchor;
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
  }

  /** A window known only by its bounds, as a usage push that finds no window cached carries it. */
  public static UsageWindow between(long periodStart, long periodEnd) {
    return new UsageWindow(Optional.empty(), Optional.empty(), Entitlement.NO_DATE, periodStart, periodEnd);
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

  /**
   * This window with the bounds a usage push or report carries ({@link Entitlement#NO_DATE} keeps a
   * bound); this very instance when they are unchanged, so that it stays shared.
   */
  public UsageWindow withBounds(long start, long end) {
    long newStart = start == Entitlement.NO_DATE ? periodStart : start;
    long newEnd = end == Entitlement.NO_DATE ? periodEnd : end;
    if (newStart == periodStart && newEnd == periodEnd) {
      return this;
    }
    return new UsageWindow(resetPeriod(), resetConfiguration(), periodAnchor, newStart, newEnd);
  }

  /** Whether the window ended before {@code nowMillis}; a window without an end never does. */
  public boolean hasEndedBy(long nowMillis) {
    return periodEnd != Entitlement.NO_DATE && periodEnd < nowMillis;
  }

  /**
   * The window that contains {@code nowMillis}: this one while it is open; once it has ended, the
   * anchor plus whole periods, as Stigg's engine computes locally instead of asking upstream.
   * Without a period or anchor to count from, the ended window's bounds stay.
   */
  public UsageWindow rolledOver(long nowMillis) {
    if (!hasEndedBy(nowMillis) || resetPeriod == null || periodAnchor == Entitlement.NO_DATE) {
      return this;
    }
    long periods = resetPeriod.wholePeriodsSince(periodAnchor, nowMillis);
    return new UsageWindow(resetPeriod(), resetConfiguration(), periodAnchor,
        resetPeriod.advance(periodAnchor, periods), resetPeriod.advance(periodAnchor, periods + 1));
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof UsageWindow that
        && periodAnchor == that.periodAnchor
        && periodStart == that.periodStart
        && periodEnd == that.periodEnd
        && resetPeriod == that.resetPeriod
        && Objects.equals(resetConfiguration, that.resetConfiguration);
  }

  @Override
  public int hashCode() {
    int hash = Long.hashCode(periodAnchor);
    hash = 31 * hash + Long.hashCode(periodStart);
    hash = 31 * hash + Long.hashCode(periodEnd);
    hash = 31 * hash + Objects.hashCode(resetPeriod);
    return 31 * hash + Objects.hashCode(resetConfiguration);
  }
}
