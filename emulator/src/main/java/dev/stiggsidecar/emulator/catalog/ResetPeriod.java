package dev.stiggsidecar.emulator.catalog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Optional;

/**
 * Stigg's usage reset periods, with the calendar arithmetic that moves a usage window. Periods are
 * counted in UTC from the entitlement's usage-period anchor, as Stigg does.
 */
public enum ResetPeriod {
  YEAR, MONTH, WEEK, DAY, HOUR;

  public static Optional<ResetPeriod> parse(String value) {
    return Arrays.stream(values()).filter(period -> period.name().equals(value)).findFirst();
  }

  /** The instant {@code periods} whole periods after {@code anchor}. */
  public Instant advance(Instant anchor, long periods) {
    ZonedDateTime start = anchor.atZone(ZoneOffset.UTC);
    ZonedDateTime moved = switch (this) {
      case YEAR -> start.plusYears(periods);
      case MONTH -> start.plusMonths(periods);
      case WEEK -> start.plusWeeks(periods);
      case DAY -> start.plusDays(periods);
      case HOUR -> start.plusHours(periods);
    };
    return moved.toInstant();
  }

  /**
   * The usage window that contains {@code now}: the anchor advanced by the whole number of periods
   * elapsed since it. Before the anchor, the first window starts at the anchor.
   */
  public UsageWindow windowAt(Instant anchor, Instant now) {
    long periods = 0;
    if (now.isAfter(anchor)) {
      long roughPeriodSeconds = switch (this) {
        case YEAR -> 366L * 86_400;
        case MONTH -> 31L * 86_400;
        case WEEK -> 7L * 86_400;
        case DAY -> 86_400;
        case HOUR -> 3_600;
      };
      // Start from an underestimate and step forward: calendar periods have uneven lengths.
      periods = Math.max(0, (now.getEpochSecond() - anchor.getEpochSecond()) / roughPeriodSeconds - 1);
      while (!advance(anchor, periods + 1).isAfter(now)) {
        periods++;
      }
    }
    return new UsageWindow(advance(anchor, periods), advance(anchor, periods + 1));
  }

  /** The GraphQL {@code __typename} of this period's reset configuration, if it has one. */
  Optional<String> configurationTypename() {
    return switch (this) {
      case YEAR -> Optional.of("YearlyResetPeriodConfig");
      case MONTH -> Optional.of("MonthlyResetPeriodConfig");
      case WEEK -> Optional.of("WeeklyResetPeriodConfig");
      case DAY, HOUR -> Optional.empty();
    };
  }

  /** The field of the reset configuration that says what the period follows. */
  Optional<String> configurationField() {
    return switch (this) {
      case YEAR -> Optional.of("yearlyAccordingTo");
      case MONTH -> Optional.of("monthlyAccordingTo");
      case WEEK -> Optional.of("weeklyAccordingTo");
      case DAY, HOUR -> Optional.empty();
    };
  }

  /** A usage window: start inclusive, end exclusive. */
  public record UsageWindow(Instant start, Instant end) {}
}
