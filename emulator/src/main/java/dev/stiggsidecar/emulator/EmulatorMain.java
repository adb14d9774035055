package dev.stiggsidecar.emulator;

import ch.qos.logback.classic.Level;
import dev.stiggsidecar.emulator.catalog.CatalogException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar stigg-emulator.jar}: runs the emulator until interrupted. */
public final class EmulatorMain {

  private EmulatorMain() {}

  public static void main(String[] args) throws Exception {
    EmulatorOptions options;
    try {
      options = EmulatorOptions.parse(args);
    } catch (EmulatorOptions.UsageException e) {
      System.err.println("stigg-emulator: " + e.getMessage().replace("\n", "\nstigg-emulator: "));
      System.err.println("Run with --help for usage.");
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(EmulatorOptions.USAGE);
      return;
    }
    configureLogging(options.logLevel());
    StiggEmulator emulator;
    try {
      emulator = StiggEmulator.start(options.settings());
    } catch (CatalogException e) {
      System.err.println("stigg-emulator: the catalog cannot be loaded:");
      e.problems().forEach(problem -> System.err.println("  " + problem));
      System.exit(1);
      return;
    } catch (IOException e) {
      System.err.println("stigg-emulator: cannot listen on " + options.settings().host() + ":"
          + options.settings().port() + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        emulator.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(EmulatorMain.class).warn("emulator did not stop cleanly", e);
      }
    }, "emulator-shutdown"));
    EmulatorSettings settings = options.settings();
    System.out.printf("Stigg emulator listening on %s (API key %s, catalog %s, %d customer entries)%n",
        emulator.baseUri(), settings.apiKey(),
        settings.dataFile().map(Object::toString).orElse("bundled sample"), emulator.catalog().keys().size());
    System.out.printf("  API_URL=%1$s EDGE_API_URL=%1$s WS_URL=%2$s%n", emulator.baseUri(), emulator.websocketUri());
    System.out.println("Stigg emulator is ready");
    emulator.join();
  }

  private static void configureLogging(String level) {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.toLevel(level, Level.INFO));
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(Level.WARN);
    }
  }
}
