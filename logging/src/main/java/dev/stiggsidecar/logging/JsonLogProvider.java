package dev.stiggsidecar.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import java.util.List;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The runnable jars' SLF4J provider: logback, configured in code for JSON lines on stdout at
 * {@code info} until the application has read its configuration and calls {@link
 * LogSetup#configure(String, List)}. {@link #select} makes SLF4J use it.
 *
 * <p>Why not logback's own provider: its start searches the class path for configurators and
 * configuration files, reports how long each took (string concatenations that spin a dozen method
 * handle classes in a fresh JVM) and prints its status with a date formatter that loads the time
 * zone database. On the sidecar's start that was about a tenth of the time to ready, for a
 * configuration that {@code LogSetup} replaces a moment later. A {@code logback-test.xml} on the
 * class path still gets logback's own configuration.
 *
 * <p>The secrets are masked from the first line: they are read from the same environment variables
 * the jars' configuration reads.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {

  /** The variables holding secrets in every jar that selects this provider. */
  private static final List<String> SECRET_VARIABLES = List.of("SERVER_API_KEY", "REDIS_PASSWORD");

  private final LoggerContext context = new LoggerContext();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

  /**
   * Makes this the provider SLF4J binds to when it is first used in this process, without its
   * search of the class path. Call it first in {@code main}: once anything has logged, SLF4J has
   * bound and this changes nothing. SLF4J's own notice of the choice is silenced unless {@code
   * slf4j.internal.verbosity} is set; its warnings and errors still print.
   */
  public static void select() {
    System.setProperty("slf4j.provider", JsonLogProvider.class.getName());
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
  }

  @Override
  public void initialize() {
    context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
    context.setMDCAdapter(mdc);
    if (JsonLogProvider.class.getClassLoader().getResource("logback-test.xml") != null) {
      configureFromFiles();
    } else {
      LogSetup.configure(context, "info", SECRET_VARIABLES.stream()
          .map(name -> Optional.ofNullable(System.getenv(name)).orElse(""))
          .toList());
    }
    context.start();
    if (new StatusUtil(context).getHighestLevel(0) >= Status.WARN) {
      StatusPrinter.print(context);
    }
  }

  private void configureFromFiles() {
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      System.err.println("logback: cannot read its configuration: " + e.getMessage());
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return context;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
