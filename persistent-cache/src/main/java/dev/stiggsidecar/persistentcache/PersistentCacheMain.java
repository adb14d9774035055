package dev.stiggsidecar.persistentcache;

import dev.stiggsidecar.contract.ConfigException;
import dev.stiggsidecar.logging.JsonLogProvider;
import dev.stiggsidecar.logging.LogSetup;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar stigg-persistent-cache.jar}: configured with the sidecar's names for what it
 * shares with the sidecars ({@code SERVER_API_KEY}, {@code API_URL}, {@code WS_URL}, {@code
 * UPSTREAM_TIMEOUT_MS}, {@code REDIS_*}, {@code HTTP_PORT}, {@code HTTP_BIND_ADDRESS}, {@code
 * LOG_LEVEL}), with {@code REDIS_ENVIRONMENT_PREFIX} required.
 */
public final class PersistentCacheMain {

  private PersistentCacheMain() {}

  public static void main(String[] args) {
    JsonLogProvider.select();
    PersistentCacheConfig config;
    try {
      config = PersistentCacheConfig.load(System.getenv());
    } catch (ConfigException e) {
      fail(e.problems());
      return;
    }
    LogSetup.configure(config.logLevel(), List.of(config.stigg().apiKey().value(), config.redis().password().orElse("")));
    Logger log = LoggerFactory.getLogger(PersistentCacheMain.class);
    if (!config.ignored().isEmpty()) {
      log.info("sidecar settings not used by the persistent cache: {}", String.join(", ", config.ignored()));
    }
    PersistentCacheRuntime runtime;
    try {
      runtime = PersistentCacheRuntime.start(config);
    } catch (IOException e) {
      log.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "persistent-cache-shutdown"));
    log.info("keeping Redis {}:{} (prefix {}) fresh from Stigg's stream at {}; HTTP on {}", config.redis().host(),
        config.redis().port(), config.redis().environmentPrefix(), config.stigg().websocketUrl(), runtime.httpPort());
    System.out.println("Persistent cache is ready");
  }

  private static void fail(List<String> problems) {
    System.err.println("stigg-persistent-cache: cannot start, the configuration is invalid:");
    problems.forEach(problem -> System.err.println("  - " + problem));
    System.exit(1);
  }
}
