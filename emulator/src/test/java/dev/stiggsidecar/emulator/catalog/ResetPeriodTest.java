package dev.stiggsidecar.emulator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResetPeriodTest {

  @ParameterizedTest(name = "{0} from {1} at {2} -> [{3}, {4})")
  @CsvSource({
      "MONTH, 2026-01-15T00:00:00Z, 2026-11-27T21:00:00Z, 2026-11-15T00:00:00Z, 2026-12-15T00:00:00Z",
      "MONTH, 2026-01-31T00:00:00Z, 2026-03-01T00:00:00Z, 2026-02-28T00:00:00Z, 2026-03-31T00:00:00Z",
      "MONTH, 2026-01-15T00:00:00Z, 2026-01-15T00:00:00Z, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
      "MONTH, 2026-06-01T00:00:00Z, 2026-01-01T00:00:00Z, 2026-06-01T00:00:00Z, 2026-07-01T00:00:00Z",
      "YEAR,  2024-02-29T12:00:00Z, 2026-03-01T00:00:00Z, 2026-02-28T12:00:00Z, 2027-02-28T12:00:00Z",
      "WEEK,  2026-01-05T00:00:00Z, 2026-11-27T21:00:00Z, 2026-11-23T00:00:00Z, 2026-11-30T00:00:00Z",
      "DAY,   2026-01-01T00:00:00Z, 2026-11-27T21:00:00Z, 2026-11-27T00:00:00Z, 2026-11-28T00:00:00Z",
      "HOUR,  2026-01-01T00:30:00Z, 2026-11-27T21:00:00Z, 2026-11-27T20:30:00Z, 2026-11-27T21:30:00Z",
  })
  void windowContainingNowStartsAtTheAnchorAdvancedByWholePeriods(ResetPeriod period, Instant anchor, Instant now,
      Instant expectedStart, Instant expectedEnd) {
    ResetPeriod.UsageWindow window = period.windowAt(anchor, now);

    assertThat(window.start()).isEqualTo(expectedStart);
    assertThat(window.end()).isEqualTo(expectedEnd);
  }
}
