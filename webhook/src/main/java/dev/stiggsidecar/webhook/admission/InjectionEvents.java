package dev.stiggsidecar.webhook.admission;

/**
 * Records why a pod that asked for the sidecar did not get it, as a Kubernetes Event in its
 * namespace, so a skipped injection is never silent. Never fails an admission.
 */
@FunctionalInterface
public interface InjectionEvents {

  void notInjected(String namespace, String podName, String reason);
}
