package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.operator.model.EffectiveSpec;
import dev.stiggsidecar.operator.model.InjectedPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The pods the webhook injected from one {@code StiggSidecar} (found by the label it writes),
 * split by whether they carry the current configuration hash.
 */
record InjectedPodScan(int total, List<Pod> outdated) {

  static InjectedPodScan of(KubernetesClient client, EffectiveSpec spec, String configHash) {
    List<Pod> pods = client.pods().inNamespace(spec.namespace())
        .withLabel(InjectionKeys.INJECTED_BY, spec.name()).list().getItems();
    List<Pod> outdated = pods.stream()
        .filter(pod -> pod.getMetadata().getAnnotations() == null
            || !configHash.equals(pod.getMetadata().getAnnotations().get(InjectionKeys.CONFIG_HASH)))
        .toList();
    return new InjectedPodScan(pods.size(), outdated);
  }

  InjectedPods counts() {
    return new InjectedPods(total, total - outdated.size(), outdated.size());
  }
}
