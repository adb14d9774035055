package dev.stiggsidecar.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run an emulator.
 *
 * @param host the address to bind; loopback by default, because the admin API can rewrite data
 * @param port the port, or 0 for any free port
 * @param apiKey the only API key the emulator accepts
 * @param dataFile the catalog to serve; empty for the bundled sample catalog
 * @param faultHold how long a request under the {@code timeout} fault is held before a 504
 * @param clock the clock for timestamps and usage windows
 */
public record EmulatorSettings(String host, int port, String apiKey, Optional<Path> dataFile,
    Duration faultHold, Clock clock) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8790;
  public static final String DEFAULT_API_KEY = "emulator-server-key";
  public static final Duration DEFAULT_FAULT_HOLD = Duration.ofSeconds(120);

  public EmulatorSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(dataFile, "dataFile");
    Objects.requireNonNull(faultHold, "faultHold");
    Objects.requireNonNull(clock, "clock");
  }

  /** Loopback, any free port, the sample catalog: what tests want. */
  public static EmulatorSettings forTests(String apiKey) {
    return new EmulatorSettings(DEFAULT_HOST, 0, apiKey, Optional.empty(), DEFAULT_FAULT_HOLD, Clock.systemUTC());
  }

  public EmulatorSettings withDataFile(Path file) {
    return new EmulatorSettings(host, port, apiKey, Optional.of(file), faultHold, clock);
  }

  public EmulatorSettings withPort(int newPort) {
    return new EmulatorSettings(host, newPort, apiKey, dataFile, faultHold, clock);
  }

  public EmulatorSettings withClock(Clock newClock) {
    return new EmulatorSettings(host, port, apiKey, dataFile, faultHold, newClock);
  }

  public EmulatorSettings withFaultHold(Duration hold) {
    return new EmulatorSettings(host, port, apiKey, dataFile, hold, clock);
  }
}
