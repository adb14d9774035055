package dev.stiggsidecar.webhook.injection;

import dev.stiggsidecar.api.model.StiggSidecar;
import java.util.List;

/**
 * The {@code StiggSidecar} resources of a namespace: an informer cache when serving, the resources
 * of a file for {@code inject}, a fixed list in tests.
 */
@FunctionalInterface
public interface StiggSidecarLookup {

  List<StiggSidecar> inNamespace(String namespace);

  /**
   * The same, read from the API server rather than a cache. Asked only when a pod shows that the
   * cache is behind; a lookup without a cache answers as {@link #inNamespace}.
   */
  default List<StiggSidecar> inNamespaceFromServer(String namespace) {
    return inNamespace(namespace);
  }

  /** Where the resources of {@code namespace} come from, for messages that say what is missing. */
  default String where(String namespace) {
    return "namespace " + namespace;
  }
}
