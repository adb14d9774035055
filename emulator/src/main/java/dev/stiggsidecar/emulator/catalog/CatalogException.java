package dev.stiggsidecar.emulator.catalog;

import java.util.List;

/**
 * Invalid catalog data: a data file, an admin request body or a usage report that the emulator
 * refuses. Each problem names where it is and what is wrong.
 */
public final class CatalogException extends Exception {

  private final List<String> problems;

  public CatalogException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public CatalogException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
