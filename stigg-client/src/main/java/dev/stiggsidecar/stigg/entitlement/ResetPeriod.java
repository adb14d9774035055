package dev.stiggsidecar.stigg.entitlement;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Usage reset periods, with the calendar arithmetic Stigg's engine uses to roll a usage window
 * forward locally (dayjs semantics: whole periods since the anchor, in UTC).
 */
public enum ResetPeriod {
  YEAR, MONTH, WEEK, DAY, HOUR;

  public static Optional<ResetPeriod> fromGraphql(String name) {
    for (ResetPeriod period : values()) {
      if (period.name().equals(name)) {
        return Optional.of(period);
      }
    }
    return Optional.empty();
  }

  /** Epoch milliseconds of {@code anchorMillis} plus {@code periods} whole periods. */
  public long advance(long anchorMillis, long periods) {
    ZonedDateTime anchor = Instant.ofEpochMilli(anchorMillis).atZone(ZoneOffset.UTC);
    ZonedDateTime moved = switch (this) {
      case YEAR -> anchor.plusYears(periods);
      case MONTH -> anchor.plusMonths(periods);
      case WEEK -> anchor.plusWeeks(periods);
      case DAY -> anchor.plusDays(periods);
      case HOUR -> anchor.plusHours(periods);
    };
    return moved.toInstant().toEpochMilli();
  }

  /** How many whole periods lie between the anchor and {@code nowMillis} (negative before it). */
  public long wholePeriodsSince(long anchorMillis, long nowMillis) {
    ZonedDateTime anchor = Instant.ofEpochMilli(anchorMillis).atZone(ZoneOffset.UTC);
    ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
    long periods = anchor.until(now, switch (this) {
      case YEAR -> ChronoUnit.YEARS;
      case MONTH -> ChronoUnit.MONTHS;
      case WEEK -> ChronoUnit.WEEKS;
      case DAY -> ChronoUnit.DAYS;
      case HOUR -> ChronoUnit.HOURS;
    });
    // until() truncates towards zero; before the anchor, the enclosing window starts one earlier.
    return nowMillis < anchorMillis && advance(anchorMillis, periods) != nowMillis ? periods - 1 : periods;
  }
}
