package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The managed Redis's password, in the Secret {@code <name>-redis-auth}: generated once (192
 * random bits, immutable, owned by the {@code StiggSidecar} so it goes with it), or the user's own
 * if a Secret of that name exists first. Redis and every client read it with {@code secretKeyRef};
 * it is never logged, copied into a ConfigMap or status, or hashed into an annotation.
 *
 * <p>Why not a dependent resource: a dependent watches its type, and watching Secrets would need
 * {@code list} and {@code watch} on every Secret of the cluster. The operator only gets and creates
 * them, once per reconciliation.
 */
final class RedisPassword {

  private static final int RANDOM_BYTES = 24;

  private final SecureRandom random = new SecureRandom();

  /**
   * Makes sure the Secret exists and holds a password.
   *
   * @return the Secret's version ({@code uid/resourceVersion}), which changes with the password
   * @throws IllegalStateException when an existing Secret of that name holds no password
   */
  String ensure(KubernetesClient client, StiggSidecar owner) {
    String namespace = owner.getMetadata().getNamespace();
    String name = StiggSidecarResources.redisAuthName(owner.getMetadata().getName());
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      secret = create(client, owner, name);
    }
    String password = secret.getData() == null ? null : secret.getData().get(StiggSidecarResources.REDIS_PASSWORD_KEY);
    if (password == null || password.isEmpty()) {
      throw new IllegalStateException("Secret " + name + " in namespace " + namespace + " has no key '"
          + StiggSidecarResources.REDIS_PASSWORD_KEY + "': put the Redis password there, or delete the Secret and "
          + "the operator generates one");
    }
    return secret.getMetadata().getUid() + "/" + secret.getMetadata().getResourceVersion();
  }

  private Secret create(KubernetesClient client, StiggSidecar owner, String name) {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Secret secret = new SecretBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(owner.getMetadata().getNamespace())
          .withLabels(StiggSidecarResources.labels(owner.getMetadata().getName(), StiggSidecarResources.COMPONENT_REDIS))
          .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
              .withKind(owner.getKind()).withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
              .withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withData(Map.of(StiggSidecarResources.REDIS_PASSWORD_KEY,
            Base64.getEncoder().encodeToString(password.getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        .build();
    try {
      return client.secrets().resource(secret).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return client.secrets().inNamespace(owner.getMetadata().getNamespace()).withName(name).require();
      }
      throw e;
    }
  }
}
