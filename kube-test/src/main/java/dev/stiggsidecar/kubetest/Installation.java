package dev.stiggsidecar.kubetest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What {@code kubectl apply -k manifests/} installs, rendered by {@code kubectl kustomize} exactly
 * as a user's install would be, so tests run against the shipped RBAC, CRD and webhook
 * configuration rather than copies of them.
 */
public final class Installation {

  public static final String NAMESPACE = "stigg-system";
  public static final String OPERATOR = "stigg-sidecar-operator";
  public static final String WEBHOOK = "stigg-sidecar-webhook";

  private final List<HasMetadata> objects;

  private Installation(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  /** Renders {@code manifests/} (the {@code manifests.dir} system property) with {@code kubectl kustomize}. */
  public static Installation render() {
    Path manifests = Path.of(System.getProperty("manifests.dir"));
    try {
      Process process = new ProcessBuilder(ApiServerBinaries.kubectlOnPath().toString(), "kustomize",
          manifests.toString()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + manifests + " failed:\n" + output);
      }
      List<HasMetadata> objects = new ArrayList<>();
      for (String document : output.split("(?m)^---\\s*$")) {
        if (document.contains("kind:")) {
          objects.add(Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))));
        }
      }
      return new Installation(objects);
    } catch (IOException e) {
      throw new IllegalStateException("could not run kubectl kustomize", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public List<HasMetadata> objects() {
    return objects;
  }

  public <T extends HasMetadata> List<T> objects(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public <T extends HasMetadata> T object(Class<T> type, String name) {
    return objects(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("manifests/ render no " + type.getSimpleName() + " " + name));
  }

  /**
   * The namespace, the CRD, the images ConfigMap and all RBAC objects, applied as a user would
   * (idempotent, so every test class may call it); waits until the CRD is established.
   */
  public Installation applyFoundations(ApiServer server) {
    apply(server, object -> switch (object.getKind()) {
      case "Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
          "RoleBinding", "ConfigMap" -> true;
      default -> false;
    }, UnaryOperator.identity());
    return this;
  }

  /**
   * The shipped MutatingWebhookConfiguration with each entry calling {@code
   * https://127.0.0.1:<port><path>} instead of the Service (the test API server has no Service
   * routing); the caBundle is left to the webhook, as in a cluster.
   */
  public void applyWebhookConfigurationCalling(ApiServer server, int port) {
    apply(server, MutatingWebhookConfiguration.class::isInstance, object -> {
      ((MutatingWebhookConfiguration) object).getWebhooks().forEach(hook -> hook.setClientConfig(
          new WebhookClientConfigBuilder().withUrl("https://127.0.0.1:" + port + hook.getClientConfig().getService()
              .getPath()).build()));
      return object;
    });
  }

  /**
   * Applies the rendered objects that {@code select} accepts, each changed by {@code change}
   * first, with {@code kubectl apply --server-side}: the same field manager as a user's install,
   * so that a later apply of {@code manifests/} by a test meets only the conflicts a user would.
   */
  public void apply(ApiServer server, Predicate<HasMetadata> select, UnaryOperator<HasMetadata> change) {
    List<HasMetadata> selected = objects.stream().filter(select).map(o -> change.apply(Serialization.clone(o))).toList();
    String yaml = selected.stream().map(Serialization::asYaml).reduce("", (all, one) -> all + one);
    ApiServer.KubectlRun applied = server.kubectlWithInput(yaml, "apply", "--server-side", "-f", "-");
    if (applied.exitCode() != 0) {
      throw new IllegalStateException("kubectl apply failed:\n" + applied.output());
    }
    KubernetesClient admin = server.admin();
    for (HasMetadata object : selected) {
      if (object instanceof CustomResourceDefinition crd) {
        admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(current -> current.getStatus() != null && current.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")),
                Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }
}
