package dev.stiggsidecar.api.model;

import java.util.List;

/** A spec the schema let through (or that never met it) but that cannot be deployed; lists every problem. */
public final class InvalidSpecException extends RuntimeException {

  private final List<String> problems;

  public InvalidSpecException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
