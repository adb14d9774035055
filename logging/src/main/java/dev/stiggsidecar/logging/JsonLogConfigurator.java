package dev.stiggsidecar.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Optional;

/**
 * Logback's first configuration in the runnable jars: JSON lines on stdout at {@code info}, until
 * the application has read its configuration and calls {@link LogSetup#configure(String, List)}.
 * The jars that log JSON register it as a service ({@code META-INF/services}).
 *
 * <p>Why: without it, logback searches the class path for two serialized models and two XML files,
 * then builds a pattern layout that {@code LogSetup} replaces a moment later: about 70 ms by
 * logback's own account on a host start without a class-data archive, before the sidecar can
 * serve. A {@code logback-test.xml} on the class path (the modules' tests) still takes precedence.
 *
 * <p>The secrets are masked from the first line: they are read from the same environment
 * variables the jars' configuration reads.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {

  /** The variables holding secrets in every jar that registers this configurator. */
  private static final List<String> SECRET_VARIABLES = List.of("SERVER_API_KEY", "REDIS_PASSWORD");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (JsonLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    List<String> secrets = SECRET_VARIABLES.stream()
        .map(name -> Optional.ofNullable(System.getenv(name)).orElse(""))
        .toList();
    LogSetup.configure(context, "info", secrets);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
