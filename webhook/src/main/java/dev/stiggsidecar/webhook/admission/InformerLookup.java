package dev.stiggsidecar.webhook.admission;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.webhook.injection.StiggSidecarLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;

/** {@code StiggSidecar}s from the webhook's informer, and from the API server when the informer is behind. */
public final class InformerLookup implements StiggSidecarLookup {

  private final SharedIndexInformer<StiggSidecar> informer;
  private final KubernetesClient client;

  public InformerLookup(SharedIndexInformer<StiggSidecar> informer, KubernetesClient client) {
    this.informer = informer;
    this.client = client;
  }

  @Override
  public List<StiggSidecar> inNamespace(String namespace) {
    return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  @Override
  public List<StiggSidecar> inNamespaceFromServer(String namespace) {
    return client.resources(StiggSidecar.class).inNamespace(namespace).list().getItems();
  }
}
