package dev.stiggsidecar.webhook.injection;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.webhook.mutation.InjectionDecision;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import dev.stiggsidecar.webhook.mutation.Overrides;
import dev.stiggsidecar.webhook.mutation.PodMutator;
import dev.stiggsidecar.webhook.mutation.ResourceOverrides;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way a pod gets the sidecar, for the admission webhook and the {@code inject} command
 * alike: who opts in ({@link InjectionPolicy}), which {@code StiggSidecar} configures it ({@link
 * SidecarConfiguration}: selection and effective spec), the pod's override annotations, native or
 * classic sidecar, and the mutation ({@link PodMutator}). The callers only translate the {@link
 * Outcome}: into an AdmissionReview response, or into YAML and exit codes.
 */
public final class InjectionPipeline {

  /**
   * Whether a pod must opt in (the webhook: the annotation, or its namespace's label), or is taken
   * as opted in unless it opts out (the {@code inject} command, given the workloads to inject, as
   * {@code istioctl kube-inject} is).
   */
  public enum OptIn { REQUIRED, ASSUMED }

  /** What happens to one pod. */
  public sealed interface Outcome {

    /** The pod with the sidecar; {@code warnings} go back to whoever created it. */
    record Injected(Pod pod, List<String> warnings) implements Outcome {}

    /** Not for the sidecar (not opted in, opted out, an excluded namespace); {@code code} is a metric label. */
    record Skipped(String code, String reason) implements Outcome {}

    /** Wanted the sidecar but has no usable configuration: admitted without it, and said so. */
    record NotInjected(String code, String reason) implements Outcome {}

    /** Malformed override annotations: the one case where the pod is refused. */
    record Denied(String reason) implements Outcome {}
  }

  private final InjectionPolicy policy;
  private final SidecarConfiguration configuration;
  private final OptIn optIn;
  private final boolean nativeSidecarWhenAuto;

  /**
   * @param nativeSidecarWhenAuto what {@code nativeSidecar: Auto} means: whether the cluster runs
   *     Kubernetes 1.29 or newer
   */
  public InjectionPipeline(InjectionPolicy policy, SidecarConfiguration configuration, OptIn optIn,
      boolean nativeSidecarWhenAuto) {
    this.policy = policy;
    this.configuration = configuration;
    this.optIn = optIn;
    this.nativeSidecarWhenAuto = nativeSidecarWhenAuto;
  }

  /**
   * @param namespaceOptedIn whether the pod's namespace carries {@code sidecar.stigg.io/injection: enabled}
   */
  public Outcome inject(String namespace, Pod pod, boolean namespaceOptedIn) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
        ? Map.of() : pod.getMetadata().getAnnotations();
    InjectionDecision decision = policy.decide(namespace, annotations, namespaceOptedIn || optIn == OptIn.ASSUMED);
    if (decision instanceof InjectionDecision.Skip skip) {
      return new Outcome.Skipped(skip.code(), skip.reason());
    }
    Optional<String> requested = ((InjectionDecision.Inject) decision).configName();
    SidecarConfiguration.Result result = configuration.forPod(namespace, requested,
        Optional.ofNullable(annotations.get(InjectionKeys.RESTARTED_FOR)));
    if (result instanceof SidecarConfiguration.Result.Unusable unusable) {
      return new Outcome.NotInjected(unusable.code(), unusable.reason());
    }
    SidecarConfiguration.Result.Usable usable = (SidecarConfiguration.Result.Usable) result;
    Overrides.Parsed overrides = Overrides.parse(annotations);
    if (!overrides.valid()) {
      return new Outcome.Denied("sidecar injection: " + String.join("; ", overrides.problems()));
    }
    EffectiveSpec spec = usable.spec();
    ResourceOverrides.Checked resources = ResourceOverrides.check(spec.resources(), overrides.overrides());
    if (!resources.valid()) {
      return new Outcome.Denied("sidecar injection: " + String.join("; ", resources.problems()));
    }
    boolean nativeSidecar = switch (spec.injection().nativeSidecar()) {
      case Always -> true;
      case Never -> false;
      case Auto -> nativeSidecarWhenAuto;
    };
    List<String> warnings = new ArrayList<>(usable.warning().stream().toList());
    warnings.addAll(resources.warnings());
    return new Outcome.Injected(PodMutator.mutate(pod, spec, nativeSidecar, resources.overrides()),
        List.copyOf(warnings));
  }
}
