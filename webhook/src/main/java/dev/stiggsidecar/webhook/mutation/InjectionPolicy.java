package dev.stiggsidecar.webhook.mutation;

import dev.stiggsidecar.contract.InjectionKeys;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who gets the sidecar. A pod opts in with {@code sidecar.stigg.io/inject: "true"}, or its
 * namespace does with the label {@code sidecar.stigg.io/injection: enabled}; {@code "false"} on
 * the pod always wins. System namespaces are never injected, whatever they say.
 */
public final class InjectionPolicy {

  /** The operator's and webhook's namespace in {@code manifests/}: excluded unless told otherwise. */
  public static final String DEFAULT_OPERATOR_NAMESPACE = "stigg-system";

  private final Set<String> excludedNamespaces;

  /** @param operatorNamespace the namespace the operator and webhook run in, excluded like kube-system */
  public InjectionPolicy(String operatorNamespace) {
    this.excludedNamespaces = Set.of("kube-system", "kube-public", "kube-node-lease", operatorNamespace);
  }

  /**
   * @param namespaceOptedIn whether the pod's namespace carries {@code sidecar.stigg.io/injection:
   *     enabled} (the admission configuration routes such namespaces to a separate path)
   */
  public InjectionDecision decide(String namespace, Map<String, String> podAnnotations, boolean namespaceOptedIn) {
    if (excludedNamespaces.contains(namespace)) {
      return new InjectionDecision.Skip("excluded_namespace", "namespace " + namespace + " is never injected");
    }
    Map<String, String> annotations = podAnnotations == null ? Map.of() : podAnnotations;
    String inject = annotations.getOrDefault(InjectionKeys.INJECT, "").trim();
    Optional<String> config = Optional.ofNullable(annotations.get(InjectionKeys.CONFIG)).map(String::trim)
        .filter(name -> !name.isEmpty());
    if (inject.equalsIgnoreCase("false")) {
      return new InjectionDecision.Skip("opted_out", "pod opted out (" + InjectionKeys.INJECT + ": \"false\")");
    }
    if (inject.equalsIgnoreCase("true") || namespaceOptedIn) {
      return new InjectionDecision.Inject(config);
    }
    return new InjectionDecision.Skip("not_opted_in", "not opted in");
  }
}
