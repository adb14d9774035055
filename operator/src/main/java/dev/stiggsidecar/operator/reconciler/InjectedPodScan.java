package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.api.model.InjectedPods;
import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Set;

/**
 * The pods the webhook injected from one {@code StiggSidecar} (from {@link InjectedPodEvents}'
 * cache), split by whether they carry the current configuration hash.
 */
record InjectedPodScan(int total, List<Pod> outdated) {

  static InjectedPodScan of(Context<StiggSidecar> context, String configHash) {
    Set<Pod> pods = context.getSecondaryResources(Pod.class);
    List<Pod> outdated = pods.stream()
        .filter(pod -> !configHash.equals(pod.getMetadata().getAnnotations().get(InjectionKeys.CONFIG_HASH)))
        .toList();
    return new InjectedPodScan(pods.size(), outdated);
  }

  InjectedPods counts() {
    return new InjectedPods(total, total - outdated.size(), outdated.size());
  }
}
