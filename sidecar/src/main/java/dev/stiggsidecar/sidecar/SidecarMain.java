package dev.stiggsidecar.sidecar;

import dev.stiggsidecar.contract.ConfigException;
import dev.stiggsidecar.logging.JsonLogProvider;
import dev.stiggsidecar.logging.LogSetup;
import dev.stiggsidecar.sidecar.config.ConfigLoader;
import dev.stiggsidecar.sidecar.config.SidecarConfig;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar stigg-sidecar.jar}: configured by environment variables (see the README). Exits
 * 1 with every configuration problem listed, and otherwise serves until SIGTERM, then drains.
 */
public final class SidecarMain {

  /** Netty reads its leak detection level from this property when first loaded. */
  private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

  private SidecarMain() {}

  public static void main(String[] args) {
    JsonLogProvider.select();
    // Netty's default leak detection records a stack trace for one buffer allocation in 128; on a
    // cache hit that cost about 4% of the server's CPU, as much as the sidecar's own work. The
    // buffers are grpc-java's and Lettuce's, not ours: it stays available with -D<property>=simple.
    if (System.getProperty(LEAK_DETECTION) == null) {
      System.setProperty(LEAK_DETECTION, "disabled");
    }
    if (args.length > 0 && args[0].equals("client")) {
      LogSetup.configure("error", List.of());
      System.exit(dev.stiggsidecar.sidecar.client.SidecarClient.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("Usage: java -jar stigg-sidecar.jar\n\nConfigured by environment variables: "
          + "SERVER_API_KEY, API_URL, EDGE_ENABLED, EDGE_API_URL, WS_ENABLED, WS_URL, ENTITLEMENTS_FALLBACK, "
          + "CACHE_MAX_SIZE_BYTES, CACHE_MAX_STALENESS_SECS, CACHE_REVALIDATION_RATE, OFFLINE, PORT, HTTP_PORT, GRPC_BIND_ADDRESS, "
          + "HTTP_BIND_ADDRESS, UPSTREAM_TIMEOUT_MS, SHUTDOWN_GRACE_SECS, LOG_LEVEL, and for Redis mode "
          + "REDIS_ENVIRONMENT_PREFIX, REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS, "
          + "REDIS_KEYS_TTL_IN_SECS, REDIS_NEAR_CACHE, REDIS_STARTUP_WAIT_MS.\nThe README documents each.\n\n"
          + "java -jar stigg-sidecar.jar client --help: a client that asks a running sidecar.");
      return;
    }
    SidecarConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println("stigg-sidecar: cannot start, the configuration is invalid:");
      e.problems().forEach(problem -> System.err.println("  - " + problem));
      System.exit(1);
      return;
    }
    LogSetup.configure(config.logLevel(), List.of(config.apiKey().value(),
        config.redis().flatMap(redis -> redis.password()).orElse("")));
    Logger log = LoggerFactory.getLogger(SidecarMain.class);
    SidecarRuntime runtime;
    try {
      runtime = SidecarRuntime.start(config);
    } catch (IOException e) {
      log.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: draining calls in flight for up to {} s", config.shutdownGrace().toSeconds());
      runtime.close();
    }, "sidecar-shutdown"));
    // The ready line first: the sidecar serves already, and what follows is only what it says about it.
    System.out.println("Sidecar is ready");
    System.out.flush();
    log.info("serving gRPC on {}:{} and HTTP on {}:{} ({})", config.grpcBindAddress(), runtime.grpcPort(),
        config.httpBindAddress(), runtime.httpPort(), config.offline() ? "offline: fallbacks only"
            : "Stigg at " + config.graphqlUrl().resolve("/") + (config.edgeEnabled() ? ", Edge " + config.edgeUrl() : ""));
  }
}
