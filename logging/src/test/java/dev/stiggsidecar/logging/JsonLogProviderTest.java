package dev.stiggsidecar.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLogProviderTest {

  @Test
  void logsJsonAtInfoWithLibrariesQuiet() {
    JsonLogProvider provider = new JsonLogProvider();

    String printed = printedBy(() -> {
      provider.initialize();
      LoggerContext context = (LoggerContext) provider.getLoggerFactory();
      assertThat(context.isStarted()).isTrue();
      assertThat(provider.getMDCAdapter()).isNotNull();
      Logger log = context.getLogger("dev.stiggsidecar.sidecar.SidecarMain");
      log.info("starting on port {}", 50051);
      log.debug("not at info");
      context.getLogger("io.grpc.netty.Server").info("a library's info line");
    });

    assertThat(printed.lines().toList()).singleElement().asString()
        .startsWith("{\"time\":")
        .contains("\"level\":\"INFO\"", "\"logger\":\"SidecarMain\"", "\"message\":\"starting on port 50051\"");
  }

  @Test
  void theApplicationsLaterSetupReplacesIt() {
    JsonLogProvider provider = new JsonLogProvider();
    printedBy(provider::initialize);
    LoggerContext context = (LoggerContext) provider.getLoggerFactory();

    String printed = printedBy(() -> {
      LogSetup.configure(context, "debug", List.of("sk-secret-key"));
      context.getLogger("dev.stiggsidecar.sidecar.SidecarMain").debug("key sk-secret-key loaded");
    });

    assertThat(printed.lines().toList()).as("one appender after the reset").singleElement().asString()
        .contains("\"level\":\"DEBUG\"", "key [redacted] loaded").doesNotContain("sk-secret-key");
  }

  /** Logback's console appender writes to whatever {@code System.out} is at the time of the write. */
  private static String printedBy(Runnable logging) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
