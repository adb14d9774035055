package dev.stiggsidecar.operator.render;

import dev.stiggsidecar.api.model.EffectiveSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every object the operator owns for one resource, in apply order, for the {@code render} command;
 * the dependents call the same renderers, so what is reviewed is what is deployed. Left out: the
 * managed Redis's password Secret, which the operator generates in the cluster and which a
 * manifest must not carry (without the operator, create it yourself; see the README).
 */
public final class ManifestRenderer {

  private ManifestRenderer() {}

  public static List<HasMetadata> render(EffectiveSpec spec) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(SidecarConfigRenderer.render(spec));
    spec.managedRedis().ifPresent(redis -> {
      objects.add(RedisRenderer.deployment(spec, redis, Optional.empty()));
      objects.add(RedisRenderer.service(spec));
      objects.add(RedisRenderer.networkPolicy(spec));
    });
    spec.persistentCache().ifPresent(cache -> objects.add(PersistentCacheRenderer.deployment(spec, cache,
        Optional.empty())));
    spec.standalone().ifPresent(standalone -> {
      objects.add(StandaloneRenderer.deployment(spec, standalone, Optional.empty()));
      objects.add(StandaloneRenderer.service(spec));
      objects.add(StandaloneRenderer.disruptionBudget(spec));
      objects.add(StandaloneRenderer.networkPolicy(spec, standalone));
    });
    return objects;
  }
}
