package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.pod.ConfigHash;
import dev.stiggsidecar.api.pod.SidecarEnvironment;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;

/** The ConfigMap every sidecar of this resource loads with {@code envFrom}. */
public final class SidecarConfigRenderer {

  private SidecarConfigRenderer() {}

  public static ConfigMap render(EffectiveSpec spec) {
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(StiggSidecarResources.configMapName(spec.name()))
          .withNamespace(spec.namespace())
          .withLabels(StiggSidecarResources.labels(spec.name(), StiggSidecarResources.COMPONENT_CONFIG))
          .withAnnotations(Map.of(InjectionKeys.CONFIG_HASH, ConfigHash.of(spec)))
        .endMetadata()
        .withData(SidecarEnvironment.configData(spec))
        .build();
  }
}
