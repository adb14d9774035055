package dev.stiggsidecar.webhook.mutation;

import dev.stiggsidecar.contract.InjectionKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-pod adjustments of the injected container, read from pod annotations. Only a small,
 * validated set: a typo must be rejected with the allowed values, not silently ignored.
 */
public record Overrides(Optional<String> cpuRequest, Optional<String> cpuLimit, Optional<String> memoryRequest,
    Optional<String> memoryLimit, Optional<String> logLevel) {

  public static final Overrides NONE =
      new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** Kubernetes resource quantities: a decimal number with an optional binary or decimal suffix. */
  private static final Pattern QUANTITY = Pattern.compile("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$");
  private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug");

  /** Parses the override annotations; every invalid one is reported, naming it and what it accepts. */
  public static Parsed parse(Map<String, String> annotations) {
    Map<String, String> all = annotations == null ? Map.of() : annotations;
    List<String> problems = new ArrayList<>();
    Overrides overrides = new Overrides(
        quantity(all, InjectionKeys.CPU_REQUEST, problems),
        quantity(all, InjectionKeys.CPU_LIMIT, problems),
        quantity(all, InjectionKeys.MEMORY_REQUEST, problems),
        quantity(all, InjectionKeys.MEMORY_LIMIT, problems),
        Optional.ofNullable(all.get(InjectionKeys.LOG_LEVEL)).map(String::trim));
    overrides.logLevel().filter(level -> !LOG_LEVELS.contains(level)).ifPresent(level -> problems.add(
        "annotation " + InjectionKeys.LOG_LEVEL + ": \"" + level + "\" is not one of error, warn, info, debug"));
    return new Parsed(overrides, problems);
  }

  /** The overrides, and the problems that make them unusable when not empty. */
  public record Parsed(Overrides overrides, List<String> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private static Optional<String> quantity(Map<String, String> annotations, String key, List<String> problems) {
    String value = annotations.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!QUANTITY.matcher(value.trim()).matches()) {
      problems.add("annotation " + key + ": \"" + value + "\" is not a resource quantity such as 250m, 1, 256Mi or 1Gi");
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }
}
