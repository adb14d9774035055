package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Metadata and selectors of the objects a {@code StiggSidecar} owns: its namespace, the shared labels. */
final class OwnedMetadata {

  private OwnedMetadata() {}

  static ObjectMeta of(EffectiveSpec spec, String name, String component) {
    return new ObjectMetaBuilder().withName(name).withNamespace(spec.namespace())
        .withLabels(StiggSidecarResources.labels(spec.name(), component)).build();
  }

  static LabelSelector selector(EffectiveSpec spec, String component) {
    return new LabelSelectorBuilder().withMatchLabels(StiggSidecarResources.selector(spec.name(), component)).build();
  }
}
