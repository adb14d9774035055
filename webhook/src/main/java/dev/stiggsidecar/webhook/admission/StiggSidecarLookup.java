package dev.stiggsidecar.webhook.admission;

import dev.stiggsidecar.operator.model.StiggSidecar;
import java.util.List;

/** The {@code StiggSidecar} resources of a namespace: an informer cache when serving, a file for {@code inject}. */
@FunctionalInterface
public interface StiggSidecarLookup {

  List<StiggSidecar> inNamespace(String namespace);
}
