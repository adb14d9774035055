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
   * @param extraSpec more spec fields, as YAML at the spec's indentation (e.g. {@code
   *     injection: {rollout: Restart}}), or empty
   * @return the new namespace's name
   */
  public static String create(ApiServer server, String prefix, String extraSpec) {
    String namespace = server.createNamespace(prefix);
    server.admin().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
        .withName("stigg-api-key").endMetadata().addToStringData("SERVER_API_KEY", "test-key").build()).create();
    server.admin().resource(Serialization.unmarshal("""
        apiVersion: sidecar.stigg.io/v1alpha1
        kind: StiggSidecar
        metadata: {name: default, namespace: %s}
        spec:
          apiKeySecretRef: {name: stigg-api-key, key: SERVER_API_KEY}
          %s
        """.formatted(namespace, extraSpec), StiggSidecar.class)).create();
    return namespace;
  }
}
