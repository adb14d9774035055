package dev.stiggsidecar.persistentcache;

import dev.stiggsidecar.sidecar.config.ConfigException;
import dev.stiggsidecar.sidecar.config.ConfigLoader;
import dev.stiggsidecar.sidecar.config.SidecarConfig;
import dev.stiggsidecar.sidecar.logging.LogSetup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar stigg-persistent-cache.jar}: configured like the sidecar ({@code SERVER_API_KEY},
 * {@code API_URL}, {@code WS_URL}, {@code REDIS_*}, {@code HTTP_PORT}, {@code LOG_LEVEL}), with
 * {@code REDIS_ENVIRONMENT_PREFIX} required.
 */
public final class PersistentCacheMain {

  private PersistentCacheMain() {}

  public static void main(String[] args) {
    SidecarConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      fail(e.problems());
      return;
    }
    if (config.redis().isEmpty() || config.offline()) {
      List<String> problems = new ArrayList<>();
      if (config.redis().isEmpty()) {
        problems.add("REDIS_ENVIRONMENT_PREFIX: required: the key prefix shared with the sidecars in Redis mode");
      }
      if (config.offline()) {
        problems.add("OFFLINE: the persistent cache needs Stigg's stream; unset OFFLINE");
      }
      fail(problems);
      return;
    }
    LogSetup.configure(config.logLevel(), List.of(config.apiKey().value(),
        config.redis().get().password().orElse("")));
    Logger log = LoggerFactory.getLogger(PersistentCacheMain.class);
    PersistentCacheRuntime runtime;
    try {
      runtime = PersistentCacheRuntime.start(config);
    } catch (IOException e) {
      log.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "persistent-cache-shutdown"));
    log.info("keeping Redis {}:{} (prefix {}) fresh from Stigg's stream at {}; HTTP on {}", config.redis().get().host(),
        config.redis().get().port(), config.redis().get().environmentPrefix(), config.websocketUrl(), runtime.httpPort());
    System.out.println("Persistent cache is ready");
  }

  private static void fail(List<String> problems) {
    System.err.println("stigg-persistent-cache: cannot start, the configuration is invalid:");
    problems.forEach(problem -> System.err.println("  - " + problem));
    System.exit(1);
  }
}
