package dev.stiggsidecar.contract;

import java.util.List;

/** Invalid configuration: every problem found, each naming the variable and the fix. */
public final class ConfigException extends Exception {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
