package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** How the webhook injects the sidecar into annotated pods of this namespace. */
public record InjectionSpec(
    @JsonPropertyDescription("Native sidecar (init container with restartPolicy Always): Auto (Kubernetes 1.29+), Always or Never. Default Auto.")
    NativeSidecarMode nativeSidecar,
    @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
    @JsonPropertyDescription("Env var giving app containers the sidecar's host; default STIGG_SIDECAR_HOST.")
    String hostEnvName,
    @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
    @JsonPropertyDescription("Env var giving app containers the sidecar's port; default STIGG_SIDECAR_PORT.")
    String portEnvName,
    @JsonPropertyDescription("What happens to injected pods when the configuration changes: Never (default) or Restart (rate-limited rolling restart of their workloads).")
    RolloutPolicy rollout) {

  /** Whether the sidecar becomes a Kubernetes native sidecar. */
  public enum NativeSidecarMode { Auto, Always, Never }

  /** What to do with pods injected under an older configuration. */
  public enum RolloutPolicy { Never, Restart }
}
