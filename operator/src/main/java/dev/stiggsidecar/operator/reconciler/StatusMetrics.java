package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.api.model.InjectedPods;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/**
 * What each {@code StiggSidecar}'s status says, as gauges labelled {@code namespace} and
 * {@code stiggsidecar}: {@code stigg_sidecar_ready} (1 or 0), {@code stigg_sidecar_injected_pods}
 * and {@code stigg_sidecar_outdated_pods}. They are read from the operator's cache of the resources
 * at every scrape rather than kept beside it: there is no finalizer to tell the operator of a
 * deletion, and this way a deleted resource's rows go with it and the figures are the ones
 * {@code kubectl get ssc} shows. Only the leader reconciles, so only the leader reports them.
 */
public final class StatusMetrics {

  private final MultiGauge ready;
  private final MultiGauge injected;
  private final MultiGauge outdated;
  private final AtomicReference<IndexedResourceCache<StiggSidecar>> resources = new AtomicReference<>();

  public StatusMetrics(MeterRegistry registry) {
    this.ready = MultiGauge.builder("stigg_sidecar_ready")
        .description("1 while the StiggSidecar's Ready condition is True").register(registry);
    this.injected = MultiGauge.builder("stigg_sidecar_injected_pods")
        .description("Pods carrying a sidecar injected from the StiggSidecar").register(registry);
    this.outdated = MultiGauge.builder("stigg_sidecar_outdated_pods")
        .description("Injected pods whose configuration is older than the StiggSidecar's").register(registry);
  }

  /** The cache the reconciler reads; the first reconciliation hands it over. */
  void readFrom(IndexedResourceCache<StiggSidecar> cache) {
    resources.compareAndSet(null, cache);
  }

  /** Rebuilds the rows from the cached resources; called before each scrape. */
  public void refresh() {
    IndexedResourceCache<StiggSidecar> cache = resources.get();
    List<StiggSidecar> all = cache == null ? List.of() : cache.list().toList();
    ready.register(rows(all, StatusMetrics::ready), true);
    injected.register(rows(all, pods(InjectedPods::total)), true);
    outdated.register(rows(all, pods(InjectedPods::outdated)), true);
  }

  private static List<MultiGauge.Row<?>> rows(List<StiggSidecar> all, ToIntFunction<StiggSidecarStatus> value) {
    return all.stream().filter(resource -> resource.getStatus() != null)
        .<MultiGauge.Row<?>>map(resource -> MultiGauge.Row.of(Tags.of(
            "namespace", resource.getMetadata().getNamespace(), "stiggsidecar", resource.getMetadata().getName()),
            value.applyAsInt(resource.getStatus())))
        .toList();
  }

  private static int ready(StiggSidecarStatus status) {
    return Optional.ofNullable(status.conditions()).orElse(List.of()).stream()
        .anyMatch(c -> Conditions.READY.equals(c.getType()) && "True".equals(c.getStatus())) ? 1 : 0;
  }

  private static ToIntFunction<StiggSidecarStatus> pods(ToIntFunction<InjectedPods> count) {
    return status -> status.injectedPods() == null ? 0 : count.applyAsInt(status.injectedPods());
  }
}
