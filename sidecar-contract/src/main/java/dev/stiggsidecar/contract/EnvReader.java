package dev.stiggsidecar.contract;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads typed settings from environment variables and collects every problem, each naming the
 * variable and what it accepts, so that one start reports everything to fix ({@link #finish}). An
 * empty value counts as unset (Stigg's Python SDK writes empty strings for unset options).
 */
public final class EnvReader {

  private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug");

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public EnvReader(Map<String, String> env) {
    this.env = env;
  }

  public Optional<String> text(String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(value -> !value.isEmpty());
  }

  public boolean bool(String name, boolean fallback) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default -> {
        problems.add(name + ": must be true or false (or 1/0), got " + value.get());
        yield fallback;
      }
    };
  }

  /** A whole number in {@code [min, max]}; {@code unit} says what it counts, for the message. */
  public long number(String name, long fallback, long min, long max, String unit) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    problems.add(name + ": must be a whole number from " + min + " to " + max + " (" + unit + "), got " + value.get());
    return fallback;
  }

  /** A TCP port; 0 picks a free one. */
  public int port(String name, int fallback) {
    return (int) number(name, fallback, 0, 65_535, "a TCP port");
  }

  /** An absolute URL with one of {@code schemes} and a host. */
  public URI url(String name, String value, List<String> schemes) {
    try {
      URI uri = new URI(value.strip());
      if (uri.getScheme() != null && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with an example
    }
    problems.add(name + ": must be an absolute " + String.join(" or ", schemes) + " URL such as "
        + schemes.get(schemes.size() - 1) + "://api.example.com, got " + value);
    return URI.create(schemes.get(0) + "://invalid");
  }

  /** {@code LOG_LEVEL}: error, warn, info or debug, any case. */
  public String logLevel() {
    String level = text(SidecarEnv.LOG_LEVEL).map(value -> value.toLowerCase(Locale.ROOT))
        .orElse(SidecarEnv.DEFAULT_LOG_LEVEL);
    if (!LOG_LEVELS.contains(level)) {
      problems.add(SidecarEnv.LOG_LEVEL + ": must be one of " + String.join(", ", LOG_LEVELS) + ", got "
          + env.get(SidecarEnv.LOG_LEVEL));
      return SidecarEnv.DEFAULT_LOG_LEVEL;
    }
    return level;
  }

  /** Records a problem found by the caller. */
  public void problem(String problem) {
    problems.add(problem);
  }

  /** The problems so far, for parsers that report into the same list. */
  public List<String> problems() {
    return problems;
  }

  /** @throws ConfigException listing every problem found, if any */
  public void finish() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
