package dev.stiggsidecar.webhook.mutation;

import dev.stiggsidecar.contract.InjectionKeys;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the resource annotations against the configured requests and limits before they reach the
 * pod. The API server rejects a container whose request is above its limit, but its message names
 * the pod's field ("must be less than or equal to memory limit"), not the annotation that caused it,
 * and a pod owned by a Deployment fails only in the ReplicaSet's events.
 *
 * <p>One case has a clear intent and is resolved: only the limit is overridden, below the configured
 * request. The request follows the limit down, as Kubernetes itself defaults a missing request to the
 * limit, and the creator gets a warning saying so. A request override above the limit it ends up
 * with is denied, naming both annotations.
 */
public final class ResourceOverrides {

  private ResourceOverrides() {}

  /**
   * @param overrides what to apply to the injected container, adjusted as described above
   * @param warnings for whoever created the pod
   * @param problems why the pod must be denied; empty when it may be admitted
   */
  public record Checked(Overrides overrides, List<String> warnings, List<String> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  public static Checked check(ResourceRequirements configured, Overrides overrides) {
    List<String> warnings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Optional<String> cpuRequest = resolve("cpu", configured, overrides.cpuRequest(), overrides.cpuLimit(),
        InjectionKeys.CPU_REQUEST, InjectionKeys.CPU_LIMIT, warnings, problems);
    Optional<String> memoryRequest = resolve("memory", configured, overrides.memoryRequest(), overrides.memoryLimit(),
        InjectionKeys.MEMORY_REQUEST, InjectionKeys.MEMORY_LIMIT, warnings, problems);
    Overrides adjusted = new Overrides(cpuRequest, overrides.cpuLimit(), memoryRequest, overrides.memoryLimit(),
        overrides.logLevel());
    return new Checked(adjusted, List.copyOf(warnings), List.copyOf(problems));
  }

  /** The request override to apply for {@code resource}: as given, or the limit when it must follow it. */
  private static Optional<String> resolve(String resource, ResourceRequirements configured,
      Optional<String> requestOverride, Optional<String> limitOverride, String requestKey, String limitKey,
      List<String> warnings, List<String> problems) {
    Optional<Quantity> configuredRequest = quantity(configured.getRequests(), resource);
    Optional<Quantity> configuredLimit = quantity(configured.getLimits(), resource);
    Optional<Quantity> request = requestOverride.map(Quantity::new).or(() -> configuredRequest);
    Optional<Quantity> limit = limitOverride.map(Quantity::new).or(() -> configuredLimit);
    if (request.isEmpty() || limit.isEmpty()
        || request.get().getNumericalAmount().compareTo(limit.get().getNumericalAmount()) <= 0) {
      return requestOverride;
    }
    String limitSource = limitOverride.isPresent() ? "annotation " + limitKey : "the StiggSidecar's resources";
    if (requestOverride.isPresent()) {
      problems.add("annotation " + requestKey + ": " + request.get() + " is above the " + resource + " limit "
          + limit.get() + " (from " + limitSource + "); lower it, or raise the limit with annotation " + limitKey);
      return requestOverride;
    }
    if (limitOverride.isEmpty()) {
      // Both from the StiggSidecar: its own validation's concern, and the API server names the field.
      return requestOverride;
    }
    warnings.add("stigg-sidecar: annotation " + limitKey + " (" + limit.get() + ") is below the sidecar's "
        + resource + " request from the StiggSidecar (" + request.get() + "); the request was lowered to "
        + limit.get() + " to match. Set " + requestKey + " to choose it yourself.");
    return Optional.of(limitOverride.get());
  }

  private static Optional<Quantity> quantity(Map<String, Quantity> quantities, String resource) {
    return Optional.ofNullable(quantities).map(all -> all.get(resource));
  }
}
