package dev.stiggsidecar.webhook.mutation;

import java.util.Optional;

/** Whether a pod gets the sidecar, and why not when it does not. */
public sealed interface InjectionDecision {

  /** Inject, configured by the named {@code StiggSidecar} (empty: pick the namespace's default). */
  record Inject(Optional<String> configName) implements InjectionDecision {}

  /** Leave the pod alone; {@code code} is a low-cardinality metric label, {@code reason} is for people. */
  record Skip(String code, String reason) implements InjectionDecision {}
}
