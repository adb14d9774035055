package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.model.EffectiveSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object the operator owns for one resource, in apply order. The reconciler's dependents and
 * the {@code render} command both come here, so what is reviewed is what is deployed.
 */
public final class ManifestRenderer {

  private ManifestRenderer() {}

  public static List<HasMetadata> render(EffectiveSpec spec) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(SidecarConfigRenderer.render(spec));
    spec.managedRedis().ifPresent(redis -> {
      objects.add(RedisRenderer.deployment(spec, redis));
      objects.add(RedisRenderer.service(spec));
    });
    spec.persistentCache().ifPresent(cache -> objects.add(PersistentCacheRenderer.deployment(spec, cache)));
    spec.standalone().ifPresent(standalone -> {
      objects.add(StandaloneRenderer.deployment(spec, standalone));
      objects.add(StandaloneRenderer.service(spec));
      objects.add(StandaloneRenderer.disruptionBudget(spec));
    });
    return objects;
  }
}
