package dev.stiggsidecar.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The emulator's command line. Parsing collects every problem so that one run tells the user all
 * that is wrong.
 *
 * @param help whether {@code --help} was asked for
 * @param logLevel the log level of the emulator's own logger
 */
record EmulatorOptions(EmulatorSettings settings, boolean help, String logLevel) {

  static final String USAGE = """
      Usage: java -jar stigg-emulator.jar [options]

      A local Stigg API for development, demos and tests: Edge REST, GraphQL over HTTP, GraphQL
      subscriptions over websocket (graphql-transport-ws), all on one port, plus an admin API.

      Options:
        --port <port>              port to listen on; 0 picks a free port (default %d)
        --host <address>           address to bind (default %s, loopback: the admin API can
                                   rewrite data, so do not expose it)
        --api-key <key>            the API key clients must send as X-API-KEY (default %s)
        --data <file>              catalog of customers and entitlements, JSON or YAML
                                   (.yaml/.yml); default: the bundled sample catalog
        --fault-hold <seconds>     how long the "timeout" customer fault holds a request before
                                   answering 504 (default %d)
        --log-level <level>        error, warn, info or debug (default info)
        --help                     print this help and exit

      Endpoints (base http://<host>:<port>; point API_URL, EDGE_API_URL and WS_URL here):
        GET  /v1/c/{customerId}/entitlements.json[?resourceId=]   Edge entitlements
        GET  /v1/config/server-sdk-configuration.json             Edge key check
        POST /graphql                                             GraphQL (GetEntitlements,
             GetEntitlementsState, GetSdkConfiguration, ReportUsage, ReportUsageBulk, ReportEvent)
        GET  /graphql (websocket upgrade)                         real-time subscriptions
        /admin/...                                                admin API (loopback only)
        GET  /healthz                                             emulator liveness

      The README documents the admin API and the data file format.
      """.formatted(EmulatorSettings.DEFAULT_PORT, EmulatorSettings.DEFAULT_HOST,
          EmulatorSettings.DEFAULT_API_KEY, EmulatorSettings.DEFAULT_FAULT_HOLD.toSeconds());

  private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug");

  /** Thrown with every problem found on the command line. */
  static final class UsageException extends Exception {
    UsageException(List<String> problems) {
      super(String.join("\n", problems));
    }
  }

  static EmulatorOptions parse(String... args) throws UsageException {
    List<String> problems = new ArrayList<>();
    String host = EmulatorSettings.DEFAULT_HOST;
    int port = EmulatorSettings.DEFAULT_PORT;
    String apiKey = EmulatorSettings.DEFAULT_API_KEY;
    Optional<Path> data = Optional.empty();
    Duration hold = EmulatorSettings.DEFAULT_FAULT_HOLD;
    String logLevel = "info";
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        help = true;
        continue;
      }
      if (!List.of("--port", "--host", "--api-key", "--data", "--fault-hold", "--log-level").contains(option)) {
        problems.add("unknown option " + option + " (see --help)");
        continue;
      }
      if (i + 1 >= args.length) {
        problems.add(option + " needs a value");
        break;
      }
      String value = args[++i];
      switch (option) {
        case "--port" -> port = parseInt(value, 0, 65_535, "--port", problems).orElse(port);
        case "--host" -> host = value;
        case "--api-key" -> {
          if (value.isBlank()) {
            problems.add("--api-key must not be empty");
          } else {
            apiKey = value;
          }
        }
        case "--data" -> data = Optional.of(Path.of(value));
        case "--fault-hold" -> hold = parseInt(value, 1, 86_400, "--fault-hold", problems)
            .map(Duration::ofSeconds).orElse(hold);
        case "--log-level" -> {
          if (LOG_LEVELS.contains(value.toLowerCase(Locale.ROOT))) {
            logLevel = value.toLowerCase(Locale.ROOT);
          } else {
            problems.add("--log-level must be one of " + String.join(", ", LOG_LEVELS) + ", got " + value);
          }
        }
        default -> throw new IllegalStateException(option);
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageException(problems);
    }
    return new EmulatorOptions(new EmulatorSettings(host, port, apiKey, data, hold, Clock.systemUTC()), help, logLevel);
  }

  private static Optional<Integer> parseInt(String value, int min, int max, String option, List<String> problems) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return Optional.of(parsed);
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    problems.add(option + " must be a whole number from " + min + " to " + max + ", got " + value);
    return Optional.empty();
  }
}
