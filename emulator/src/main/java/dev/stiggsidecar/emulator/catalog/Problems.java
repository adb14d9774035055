package dev.stiggsidecar.emulator.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Collects validation problems, each tied to the JSON path of the value at fault, so that every
 * problem in an input is reported at once rather than one per attempt.
 */
public final class Problems {

  /** One problem: {@code path} is a dotted JSON path such as {@code customers[0].entitlements[2]}. */
  public record Problem(String path, String message) {}

  private final List<Problem> problems = new ArrayList<>();

  public void add(String path, String message) {
    problems.add(new Problem(path, message));
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Throws when anything was collected, describing each problem with {@code where(path)}. */
  public void throwIfAny(Function<String, String> where) throws CatalogException {
    if (!problems.isEmpty()) {
      throw new CatalogException(
          problems.stream().map(problem -> where.apply(problem.path()) + problem.message()).toList());
    }
  }
}
