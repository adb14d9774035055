package dev.stiggsidecar.kubetest;

import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A namespace as an application team sets it up: the API key Secret and a {@code StiggSidecar}
 * named {@code default} that refers to it.
 */
public final class Tenant {

  private Tenant() {}

  /**
   * @param extraSpec more spec fields, as YAML at the spec's level (e.g. {@code
   *     injection: {rollout: Restart}}), or empty
   * @return the new namespace's name
   */
  public static String create(ApiServer server, String prefix, String extraSpec) {
    String namespace = server.createNamespace(prefix);
    configure(server, namespace, "test-key", extraSpec);
    return namespace;
  }

  /**
   * In an existing namespace: the Secret {@code stigg-api-key} holding {@code apiKey}, and the
   * {@code StiggSidecar} {@code default} with {@code extraSpec} (YAML at the spec's level, any
   * number of lines) added to its spec.
   */
  public static void configure(ApiServer server, String namespace, String apiKey, String extraSpec) {
    server.admin().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
        .withName("stigg-api-key").endMetadata().addToStringData("SERVER_API_KEY", apiKey).build()).create();
    server.admin().resource(Serialization.unmarshal("""
        apiVersion: sidecar.stigg.io/v1alpha1
        kind: StiggSidecar
        metadata: {name: default, namespace: %s}
        spec:
          apiKeySecretRef: {name: stigg-api-key, key: SERVER_API_KEY}
        """.formatted(namespace) + extraSpec.stripIndent().indent(2), StiggSidecar.class)).create();
  }
}
