package dev.stiggsidecar.kubetest;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Plays the Deployment and ReplicaSet controllers, which the test API server does not run: a
 * rollout makes a ReplicaSet for the Deployment's current pod template and creates its pods
 * through the API server, so they pass the admission chain (and the webhook) as in a cluster.
 * Pods are stored, never run.
 */
public final class StandInControllers {

  private StandInControllers() {}

  /** A valid Deployment of one {@code app} container whose pods carry {@code podAnnotations}. */
  public static Deployment deployment(String namespace, String name, Map<String, String> podAnnotations) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(1)
          .withNewSelector().addToMatchLabels("app", name).endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", name).withAnnotations(podAnnotations).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("registry.example/" + name + ":1").endContainer()
            .endSpec()
          .endTemplate()
        .endSpec().build();
  }

  /**
   * What the controllers do after a Deployment's template changes: a ReplicaSet for the current
   * template and {@code replicas} new pods, created through the API server; pods of older
   * ReplicaSets are deleted.
   *
   * @return the new pods as the API server stored them (after admission)
   */
  public static List<Pod> rollOut(KubernetesClient client, String namespace, String deploymentName, int replicas) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(deploymentName).get();
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    String replicaSetName = deploymentName + "-" + templateHash(template);
    ReplicaSet replicaSet = client.apps().replicaSets().inNamespace(namespace).withName(replicaSetName).get();
    if (replicaSet == null) {
      replicaSet = client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
          .withNewMetadata().withName(replicaSetName).withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels())
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(deploymentName).withUid(deployment.getMetadata().getUid()).withController(true).build())
          .endMetadata()
          .withNewSpec().withReplicas(replicas).withSelector(deployment.getSpec().getSelector()).withTemplate(template)
          .endSpec().build()).create();
    }
    for (Pod old : client.pods().inNamespace(namespace).withLabels(deployment.getSpec().getSelector().getMatchLabels())
        .list().getItems()) {
      if (old.getMetadata().getOwnerReferences().stream().noneMatch(o -> o.getName().equals(replicaSetName))) {
        client.pods().inNamespace(namespace).resource(old).delete();
      }
    }
    List<Pod> created = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      created.add(client.pods().inNamespace(namespace).resource(new PodBuilder()
          .withNewMetadata().withGenerateName(replicaSetName + "-").withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels()).withAnnotations(template.getMetadata().getAnnotations())
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(replicaSetName).withUid(replicaSet.getMetadata().getUid()).withController(true).build())
          .endMetadata()
          .withSpec(template.getSpec())
          .build()).create());
    }
    return created;
  }

  private static String templateHash(PodTemplateSpec template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
