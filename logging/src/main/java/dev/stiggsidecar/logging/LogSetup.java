package dev.stiggsidecar.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Configures logging for the runnable sidecar: JSON lines on stdout at {@code LOG_LEVEL}. */
public final class LogSetup {

  private LogSetup() {}

  /**
   * @param secrets values masked in every line (shorter than four characters: not masked)
   */
  public static void configure(String level, List<String> secrets) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      configure(context, level, secrets);
    }
  }

  /** As above, on {@code context}: for {@link JsonLogProvider}, which runs while SLF4J binds. */
  static void configure(LoggerContext context, String level, List<String> secrets) {
    context.reset();
    JsonLogLayout layout = new JsonLogLayout(secrets);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stdout");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(console);
    root.setLevel(Level.toLevel(level, Level.INFO));
    // Libraries stay quiet unless debugging: their info lines mean nothing to an operator.
    Level libraries = "debug".equals(level) ? Level.DEBUG : Level.WARN;
    for (String library : List.of("io.grpc", "io.netty", "jdk.internal.httpclient", "com.github.benmanes")) {
      context.getLogger(library).setLevel(libraries);
    }
  }
}
