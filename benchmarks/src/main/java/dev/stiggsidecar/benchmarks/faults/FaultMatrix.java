package dev.stiggsidecar.benchmarks.faults;

import dev.stiggsidecar.logging.LogSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fault matrix: for each fault of {@link Fault#matrix}, alone and combined, a fresh {@link Rig}
 * under {@link SteadyLoad} (200 checks and 10 usage reports a second), the fault injected for a
 * while and mended. Each scenario reports checks answered and failed, fallbacks, usage acknowledged,
 * refused and received by Stigg, how long after the mend the sidecar still answered a change made
 * during the fault, and the fetches Stigg served (in total, and in the busiest second).
 *
 * <p>{@code java -jar benchmarks/target/stigg-benchmarks.jar faults [--fault-seconds 3] [--out
 * benchmarks/results]} writes {@code fault-matrix.md}; {@code mvn verify} runs it with short faults.
 */
public final class FaultMatrix {

  static final String PROBE = "fm-probe";
  static final String BOOLEAN_FEATURE = "feature-sso";
  static final String NUMERIC_FEATURE = "feature-seats";
  static final String METERED_FEATURE = "feature-api-calls";
  /** {@code UPSTREAM_TIMEOUT_MS} of every sidecar in the matrix. */
  static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(3);
  /** {@code CACHE_MAX_STALENESS_SECS}: short, so that a run shows the bound at work. */
  static final Duration MAX_STALENESS = Duration.ofSeconds(3);
  /** {@code CACHE_REVALIDATION_RATE}: below the number of customers, so that a run shows the bound. */
  static final int REVALIDATION_RATE = 20;
  static final int CHECKS_PER_SECOND = 200;
  static final int REPORTS_PER_SECOND = 10;

  /**
   * @param before load before the fault
   * @param fault how long the fault lasts
   * @param after load after the mend (at least)
   * @param stalenessLimit how long after the mend a change may take to show before it counts as not caught up
   * @param sidecarJar the sidecar jar, for the scenario that sends SIGTERM to a sidecar process
   * @param logs where sidecar processes write their output
   */
  public record Settings(Duration before, Duration fault, Duration after, Duration stalenessLimit, Path sidecarJar,
      Path logs) {

    /** Steady load for a third of the fault's length (at least 0.5 s) before it and after the mend. */
    public static Settings of(Duration fault, Path root, Path logs) {
      Duration margin = fault.dividedBy(3).compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500)
          : fault.dividedBy(3);
      return new Settings(margin, fault, margin, Duration.ofSeconds(15),
          root.resolve("sidecar/target/stigg-sidecar.jar"), logs);
    }
  }

  private final Settings settings;

  public FaultMatrix(Settings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    LogSetup.configure("error", List.of());
    Duration fault = Duration.ofSeconds(3);
    Path out = Path.of("benchmarks/results");
    Path root = Path.of(".");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--fault-seconds" -> fault = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        case "--out" -> out = Path.of(args[i + 1]);
        case "--root" -> root = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --fault-seconds, --out, --root");
      }
    }
    FaultMatrix matrix = new FaultMatrix(Settings.of(fault, root, out.resolve("logs")));
    List<Outcome> outcomes = new ArrayList<>();
    for (Fault scenario : Fault.matrix(fault)) {
      Outcome outcome = matrix.run(scenario);
      System.out.println(MatrixTable.row(outcome));
      outcomes.add(outcome);
    }
    Path table = Files.createDirectories(out).resolve("fault-matrix.md");
    writeTable(table, outcomes, matrix.settings);
    System.out.println("wrote " + table);
  }

  /** Runs one scenario on a fresh rig. */
  public Outcome run(Fault scenario) throws Exception {
    try (Rig rig = Rig.start(scenario.setup(), settings)) {
      rig.warm();
      long usageBefore = rig.emulator().stats().usageReports();
      UpstreamMeter upstream = new UpstreamMeter(() -> rig.emulator().stats().entitlementFetches());
      SteadyLoad load = new SteadyLoad(rig.loadChannel(), rig.customers(), CHECKS_PER_SECOND, REPORTS_PER_SECOND);
      load.start();
      Thread.sleep(settings.before().toMillis());

      scenario.inject().run(rig);
      Thread.sleep(settings.fault().toMillis() / 2);
      int changed = rig.changeProbe();
      CompletableFuture<Long> seenAt = CompletableFuture.supplyAsync(() -> firstSeen(rig, changed));
      Thread.sleep(settings.fault().toMillis() / 2);
      scenario.heal().run(rig);
      long healedAt = System.nanoTime();

      Optional<Duration> staleness = Optional.ofNullable(seenAt.get(settings.stalenessLimit().toSeconds() + 10,
          TimeUnit.SECONDS)).map(seen -> Duration.ofNanos(Math.max(0, seen - healedAt)));
      long untilMended = Math.max(0, settings.after().toNanos() - (System.nanoTime() - healedAt));
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(untilMended));
      load.close();
      upstream.close();
      // A refused report can still reach Stigg after its caller gave up; give such stragglers time to land.
      if (load.usageRefused.sum() > 0) {
        Thread.sleep(UPSTREAM_TIMEOUT.toMillis() / 2);
      }
      return new Outcome(scenario.name(), load.checks.sum(), load.checkErrors.sum(), load.fallbacks.sum(),
          load.usageAcknowledged.sum(), load.usageRefused.sum(), rig.emulator().stats().usageReports() - usageBefore,
          staleness, upstream.total(), upstream.peakPerSecond(), load.errorCodes());
    }
  }

  /** When the first sidecar first answers {@code expected} for the probe customer; null if not within the limit. */
  private Long firstSeen(Rig rig, int expected) {
    long deadline = System.nanoTime() + settings.fault().toNanos() + settings.stalenessLimit().toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (rig.probeSeats() == expected) {
          return System.nanoTime();
        }
      } catch (RuntimeException e) {
        // The probe's sidecar may be restarting; ask again.
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  public static void writeTable(Path file, List<Outcome> outcomes, Settings settings) throws IOException {
    Files.writeString(file, MatrixTable.markdown(outcomes, settings));
  }
}
