package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl apply --server-side --validate=strict} of {@code manifests/} and of its examples,
 * as a user installs them, is accepted by a real API server: every field is known to it, every
 * object valid.
 */
@ExtendWith(ApiServerExtension.class)
class InstallTest {

  private static final Path MANIFESTS = Path.of(System.getProperty("manifests.dir"));

  @Test
  void manifestsAndExamplesApplyServerSideWithStrictValidation(ApiServer server) {
    try {
      ApiServer.KubectlRun install = server.kubectl("apply", "--server-side", "--validate=strict", "-k",
          MANIFESTS.toString());
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(install.output()).contains("customresourcedefinition.apiextensions.k8s.io/stiggsidecars.sidecar.stigg.io",
          "deployment.apps/stigg-sidecar-operator serverside-applied", "deployment.apps/stigg-sidecar-webhook",
          "mutatingwebhookconfiguration.admissionregistration.k8s.io/stigg-sidecar-webhook");

      server.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
          .build()).serverSideApply();
      ApiServer.KubectlRun examples = server.kubectl("apply", "--server-side", "--validate=strict", "-f",
          MANIFESTS.resolve("examples").toString());
      assertThat(examples.exitCode()).as(examples.output()).isZero();
      assertThat(examples.output()).contains("stiggsidecar.sidecar.stigg.io/default serverside-applied",
          "deployment.apps/checkout serverside-applied");

      // Applying again changes nothing and conflicts with nothing.
      ApiServer.KubectlRun again = server.kubectl("apply", "--server-side", "--validate=strict", "-k",
          MANIFESTS.toString());
      assertThat(again.exitCode()).as(again.output()).isZero();
    } finally {
      // Pods of other tests on this server must not be sent to a webhook that is not running here.
      server.admin().admissionRegistration().v1().mutatingWebhookConfigurations().withName("stigg-sidecar-webhook")
          .delete();
    }
  }
}
