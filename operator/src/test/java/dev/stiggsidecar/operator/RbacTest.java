package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped RBAC, asked of the real API server's authorizer for both ServiceAccounts: every verb
 * the code uses is allowed, and the verbs around it are not (Secrets beyond the one each needs,
 * other Leases and webhook configurations, writes to the spec, RBAC itself). Each row is also a
 * row of the README's RBAC table. That the allowed verbs are enough is shown by the lifecycle
 * tests, which run the operator and the webhook as these ServiceAccounts and fail on any 403.
 */
@ExtendWith(ApiServerExtension.class)
class RbacTest {

  private static final String OTHER_NAMESPACE = "shop";
  private static KubernetesClient admin;

  /**
   * One row of the README table: an account's verbs on a resource in a scope.
   *
   * @param scope {@code all namespaces}, {@code cluster}, or {@code <namespace>[/<name>]}
   */
  record Row(String account, String resource, String scope, List<String> allowed, List<String> denied) {

    String readme() {
      return "| " + account + " | `" + resource + "` | " + scope + " | " + words(allowed) + " | " + words(denied) + " |";
    }

    private static String words(List<String> verbs) {
      return verbs.isEmpty() ? "none" : String.join(", ", verbs);
    }

    @Override
    public String toString() {
      return account + " " + resource + " " + scope;
    }
  }

  static Stream<Row> table() {
    List<String> all = List.of("get", "list", "watch", "create", "update", "patch", "delete");
    return Stream.of(
        new Row("operator", "stiggsidecars.sidecar.stigg.io", "all namespaces", List.of("get", "list", "watch"),
            List.of("create", "update", "patch", "delete")),
        new Row("operator", "stiggsidecars.sidecar.stigg.io/status", "all namespaces", List.of("patch"), List.of("update")),
        new Row("operator", "stiggsidecars.sidecar.stigg.io/finalizers", "all namespaces", List.of("update"), List.of("patch")),
        new Row("operator", "configmaps", "all namespaces", all, List.of("deletecollection")),
        new Row("operator", "services", "all namespaces", all, List.of("deletecollection")),
        new Row("operator", "deployments.apps", "all namespaces", all, List.of("deletecollection")),
        new Row("operator", "poddisruptionbudgets.policy", "all namespaces", all, List.of("deletecollection")),
        new Row("operator", "networkpolicies.networking.k8s.io", "all namespaces", all, List.of("deletecollection")),
        new Row("operator", "secrets", "all namespaces", List.of("get", "create"),
            List.of("list", "watch", "update", "patch", "delete")),
        new Row("operator", "pods", "all namespaces", List.of("list", "watch"),
            List.of("get", "create", "update", "patch", "delete")),
        new Row("operator", "replicasets.apps", "all namespaces", List.of("get"), List.of("list", "update", "patch")),
        new Row("operator", "statefulsets.apps", "all namespaces", List.of("get", "patch"),
            List.of("create", "update", "delete")),
        new Row("operator", "daemonsets.apps", "all namespaces", List.of("get", "patch"),
            List.of("create", "update", "delete")),
        new Row("operator", "events", "all namespaces", List.of("create"), List.of("get", "update", "delete")),
        new Row("operator", "leases.coordination.k8s.io", "stigg-system", List.of("create"), List.of("list", "delete")),
        new Row("operator", "leases.coordination.k8s.io", "stigg-system/stigg-sidecar-operator",
            List.of("get", "update", "patch"), List.of("delete")),
        new Row("operator", "leases.coordination.k8s.io", "stigg-system/other-lease", List.of(),
            List.of("get", "update", "patch")),
        new Row("operator", "leases.coordination.k8s.io", OTHER_NAMESPACE, List.of(), List.of("get", "create")),
        new Row("operator", "mutatingwebhookconfigurations.admissionregistration.k8s.io", "cluster", List.of(),
            List.of("get", "update", "patch")),
        new Row("operator", "customresourcedefinitions.apiextensions.k8s.io", "cluster", List.of(),
            List.of("get", "update")),
        new Row("operator", "clusterrolebindings.rbac.authorization.k8s.io", "cluster", List.of(),
            List.of("create", "update")),
        new Row("webhook", "stiggsidecars.sidecar.stigg.io", "all namespaces", List.of("get", "list", "watch"),
            List.of("create", "update", "patch", "delete")),
        new Row("webhook", "stiggsidecars.sidecar.stigg.io/status", "all namespaces", List.of(), List.of("update", "patch")),
        new Row("webhook", "events", "all namespaces", List.of("create"), List.of("get", "update", "delete")),
        new Row("webhook", "mutatingwebhookconfigurations.admissionregistration.k8s.io", "cluster/stigg-sidecar-webhook",
            List.of("get", "update"), List.of("patch", "delete")),
        new Row("webhook", "mutatingwebhookconfigurations.admissionregistration.k8s.io", "cluster/other-webhook",
            List.of(), List.of("get", "update")),
        new Row("webhook", "mutatingwebhookconfigurations.admissionregistration.k8s.io", "cluster", List.of(),
            List.of("list", "create")),
        new Row("webhook", "secrets", "stigg-system/stigg-sidecar-webhook-tls", List.of("get", "update"),
            List.of("patch", "delete")),
        new Row("webhook", "secrets", "stigg-system", List.of("create"), List.of("list", "watch")),
        new Row("webhook", "secrets", "stigg-system/other-secret", List.of(), List.of("get", "update", "delete")),
        new Row("webhook", "secrets", OTHER_NAMESPACE, List.of(), List.of("get", "list", "create")),
        new Row("webhook", "pods", "all namespaces", List.of(), List.of("get", "list", "create", "patch")),
        new Row("webhook", "leases.coordination.k8s.io", "stigg-system", List.of(), List.of("get", "create")));
  }

  @BeforeAll
  static void install(ApiServer server) {
    Installation.render().applyFoundations(server);
    admin = server.admin();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theApiServerAllowsExactlyWhatTheReadmeSays(Row row) throws IOException {
    for (String verb : row.allowed()) {
      assertThat(allowed(row, verb)).as("%s may %s", row, verb).isTrue();
    }
    for (String verb : row.denied()) {
      assertThat(allowed(row, verb)).as("%s may not %s", row, verb).isFalse();
    }
    assertThat(Files.readString(Path.of(System.getProperty("manifests.dir"), "..", "README.md")))
        .as("README.md's RBAC table").contains(row.readme());
  }

  private static boolean allowed(Row row, String verb) {
    String[] resource = row.resource().split("/", 2);
    String[] typeAndGroup = resource[0].split("\\.", 2);
    String[] scope = row.scope().split("/", 2);
    String namespace = switch (scope[0]) {
      case "all namespaces" -> OTHER_NAMESPACE;
      case "cluster" -> null;
      default -> scope[0];
    };
    String account = row.account().equals("operator") ? Installation.OPERATOR : Installation.WEBHOOK;
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser("system:serviceaccount:" + Installation.NAMESPACE + ":" + account)
        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + Installation.NAMESPACE, "system:authenticated")
        .withResourceAttributes(new ResourceAttributesBuilder()
            .withVerb(verb)
            .withGroup(typeAndGroup.length > 1 ? typeAndGroup[1] : (resource[0].equals("stiggsidecars.sidecar.stigg.io") ? "sidecar.stigg.io" : ""))
            .withResource(typeAndGroup[0])
            .withSubresource(resource.length > 1 ? resource[1] : null)
            .withNamespace(namespace)
            .withName(scope.length > 1 ? scope[1] : null)
            .build())
        .endSpec().build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }
}
