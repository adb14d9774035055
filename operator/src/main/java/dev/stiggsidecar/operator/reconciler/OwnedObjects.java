package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.operator.model.StiggSidecarResources;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Deletes everything a {@code StiggSidecar} may own, by name. Owner references would let the
 * garbage collector do it eventually; deleting here makes removal immediate and observable, and
 * does not depend on a garbage collector (the test API server has none).
 */
final class OwnedObjects {

  private OwnedObjects() {}

  static void deleteAll(KubernetesClient client, String owner, String namespace) {
    client.configMaps().inNamespace(namespace).withName(StiggSidecarResources.configMapName(owner)).delete();
    for (String deployment : new String[] {StiggSidecarResources.redisName(owner),
        StiggSidecarResources.persistentCacheName(owner), StiggSidecarResources.standaloneName(owner)}) {
      client.apps().deployments().inNamespace(namespace).withName(deployment).delete();
    }
    client.services().inNamespace(namespace).withName(StiggSidecarResources.redisName(owner)).delete();
    client.services().inNamespace(namespace).withName(StiggSidecarResources.standaloneName(owner)).delete();
    client.policy().v1().podDisruptionBudget().inNamespace(namespace)
        .withName(StiggSidecarResources.standaloneName(owner)).delete();
  }
}
