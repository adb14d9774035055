package dev.stiggsidecar.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fault matrix with short faults (1.5 s), one test per scenario: no check may fail, no usage
 * report acknowledged to its caller may be lost, every change made in Stigg during a fault must be
 * answered soon after the mend, and no check may fall back (every customer was read before the
 * fault, so there is always a copy to answer from). The table is
 * written to {@code target/fault-matrix.md}.
 */
class FaultMatrixIT {

  private static final Path ROOT = Path.of(System.getProperty("repository.root", ".."));
  private static final List<Outcome> outcomes = new ArrayList<>();
  /**
   * 0.5 s of load before the fault; 1 s after the mend, so that the 40 entries a websocket drop
   * revalidates at 20 a second are all counted.
   */
  private static final FaultMatrix.Settings SETTINGS = new FaultMatrix.Settings(Duration.ofMillis(500),
      Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(15), ROOT.resolve("sidecar/target/stigg-sidecar.jar"),
      Path.of("target", "fault-matrix-logs"));

  @TestFactory
  Stream<DynamicTest> everyFaultAloneAndCombined() {
    FaultMatrix matrix = new FaultMatrix(SETTINGS);
    return Fault.matrix(SETTINGS.fault()).stream().map(fault -> DynamicTest.dynamicTest(fault.name(), () -> {
      Outcome outcome = matrix.run(fault);
      outcomes.add(outcome);
      assertThat(outcome.checks()).as("checks answered").isGreaterThan(FaultMatrix.CHECKS_PER_SECOND);
      assertThat(outcome.checkErrors()).as("failed checks (codes: %s)", outcome.errorCodes()).isZero();
      assertThat(outcome.usageLost()).as("usage acknowledged but never applied by Stigg").isZero();
      assertThat(outcome.staleness()).as("a change made during the fault is answered after the mend").isPresent();
      assertThat(outcome.staleness().get()).isLessThan(SETTINGS.stalenessLimit());
      assertThat(outcome.fallbacks()).as("every customer was cached or read before: no fallback").isZero();
      if (fault.name().equals("websocket dropped once")) {
        assertThat(outcome.peakFetchesPerSecond()).as("a reconnect revalidates at the bounded rate, not all at once")
            .isLessThanOrEqualTo(FaultMatrix.REVALIDATION_RATE + 2);
        assertThat(outcome.upstreamFetches()).as("every cached customer revalidated once")
            .isGreaterThanOrEqualTo(40);
      }
    }));
  }

  @AfterAll
  static void writeTable() throws Exception {
    Path table = Files.createDirectories(Path.of("target")).resolve("fault-matrix.md");
    FaultMatrix.writeTable(table, outcomes, SETTINGS);
    System.out.println(Files.readString(table));
  }
}
