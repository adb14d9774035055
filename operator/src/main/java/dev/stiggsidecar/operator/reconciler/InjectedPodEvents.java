package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Watches the pods the webhook injected, selected by the {@code injected-by} label, and maps each
 * to the {@code StiggSidecar} that label names: the injected-pod counts in status then follow pod
 * events within seconds. Only a pod's creation, deletion, or a change of its label or hash wakes
 * the reconciler (not the kubelet's status updates), and the cache keeps only the metadata the
 * operator reads, so a cluster of many injected pods costs little memory.
 */
final class InjectedPodEvents {

  private InjectedPodEvents() {}

  static InformerEventSource<Pod, StiggSidecar> source(EventSourceContext<StiggSidecar> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, StiggSidecar.class)
        .withName("injected-pods")
        .withLabelSelector(InjectionKeys.INJECTED_BY)
        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
            pod.getMetadata().getLabels().get(InjectionKeys.INJECTED_BY), pod.getMetadata().getNamespace())))
        .withOnUpdateFilter((updated, previous) -> !Objects.equals(injection(updated), injection(previous)))
        .withItemStore(new MetadataOnlyStore())
        .build(), context);
  }

  private static Map<String, String> injection(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    Map<String, String> annotations =
        pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    return Map.of("by", String.valueOf(labels.get(InjectionKeys.INJECTED_BY)),
        "hash", String.valueOf(annotations.get(InjectionKeys.CONFIG_HASH)));
  }

  /** Stores a pod as the metadata the operator reads: identity, the injection label and hash, owners. */
  static final class MetadataOnlyStore extends BasicItemStore<Pod> {

    MetadataOnlyStore() {
      super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Pod put(String key, Pod pod) {
      ObjectMeta full = pod.getMetadata();
      String hash = full.getAnnotations() == null ? null : full.getAnnotations().get(InjectionKeys.CONFIG_HASH);
      Pod kept = new Pod();
      kept.setApiVersion(pod.getApiVersion());
      kept.setKind(pod.getKind());
      kept.setMetadata(new ObjectMetaBuilder()
          .withName(full.getName())
          .withNamespace(full.getNamespace())
          .withUid(full.getUid())
          .withResourceVersion(full.getResourceVersion())
          .withCreationTimestamp(full.getCreationTimestamp())
          .withLabels(Map.of(InjectionKeys.INJECTED_BY, full.getLabels().get(InjectionKeys.INJECTED_BY)))
          .withAnnotations(hash == null ? Map.of() : Map.of(InjectionKeys.CONFIG_HASH, hash))
          .withOwnerReferences(full.getOwnerReferences())
          .build());
      return super.put(key, kept);
    }
  }
}
