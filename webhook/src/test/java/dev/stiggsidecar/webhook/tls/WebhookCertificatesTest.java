package dev.stiggsidecar.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class WebhookCertificatesTest {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  KubernetesClient client;
  @TempDir Path replicaA;
  @TempDir Path replicaB;

  private WebhookCertificates certificates(Path directory, Instant now) {
    return new WebhookCertificates(client, "stigg-system", "stigg-sidecar-webhook-tls", "stigg-sidecar-webhook",
        "stigg-sidecar-webhook", directory, new CertificateIssuer(), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void replicasShareOneCaAndTheCaBundleFollowsIt() throws Exception {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName("stigg-sidecar-webhook").endMetadata()
        .addNewWebhook().withName("inject.sidecar.stigg.io").withNewClientConfig().withNewService()
          .withName("stigg-sidecar-webhook").withNamespace("stigg-system").withPath("/mutate").endService()
          .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook()
        .build()).create();

    certificates(replicaA, NOW).reconcile();
    Secret secret = client.secrets().inNamespace("stigg-system").withName("stigg-sidecar-webhook-tls").get();
    X509Certificate ca = PemKeyMaterial.certificates(decode(secret.getData().get("ca.crt")), "ca").get(0);
    X509Certificate serving = PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0);
    serving.verify(ca.getPublicKey());
    assertThat(serving.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
        .contains("stigg-sidecar-webhook.stigg-system.svc");
    assertThat(PemKeyMaterial.load(replicaA.resolve("tls.crt"), replicaA.resolve("tls.key"))).isNotNull();
    assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("stigg-sidecar-webhook")
        .get().getWebhooks().get(0).getClientConfig().getCaBundle()).isEqualTo(secret.getData().get("ca.crt"));

    // A second replica uses the same Secret: same files, nothing rewritten.
    certificates(replicaB, NOW.plusSeconds(60)).reconcile();
    assertThat(Files.readString(replicaB.resolve("tls.crt"))).isEqualTo(Files.readString(replicaA.resolve("tls.crt")));
    assertThat(client.secrets().inNamespace("stigg-system").withName("stigg-sidecar-webhook-tls").get()
        .getMetadata().getResourceVersion()).isEqualTo(secret.getMetadata().getResourceVersion());

    // 340 days later the serving certificate is renewed from the same CA.
    certificates(replicaA, NOW.plus(Duration.ofDays(340))).reconcile();
    Secret renewed = client.secrets().inNamespace("stigg-system").withName("stigg-sidecar-webhook-tls").get();
    assertThat(renewed.getData().get("ca.crt")).isEqualTo(secret.getData().get("ca.crt"));
    assertThat(renewed.getData().get("tls.crt")).isNotEqualTo(secret.getData().get("tls.crt"));
    X509Certificate next = PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0);
    next.verify(ca.getPublicKey());
    assertThat(next.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(700)));
  }

  @Test
  void aRenewedCaIsBundledWithTheOutgoingOneUntilItExpires() throws Exception {
    certificates(replicaA, NOW).reconcile();
    X509Certificate oldCa = PemKeyMaterial.certificates(decode(client.secrets().inNamespace("stigg-system")
        .withName("stigg-sidecar-webhook-tls").get().getData().get("ca.crt")), "ca").get(0);

    Instant nearCaEnd = oldCa.getNotAfter().toInstant().minus(Duration.ofDays(10));
    certificates(replicaA, nearCaEnd).reconcile();
    List<X509Certificate> bundle = PemKeyMaterial.certificates(decode(client.secrets().inNamespace("stigg-system")
        .withName("stigg-sidecar-webhook-tls").get().getData().get("ca.crt")), "ca");
    assertThat(bundle).hasSize(2);
    assertThat(bundle.get(1)).isEqualTo(oldCa);
    X509Certificate serving = PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0);
    serving.verify(bundle.get(0).getPublicKey());
  }

  @Test
  void missingWebhookConfigurationIsNotAnError() throws Exception {
    certificates(replicaA, NOW).reconcile();
    assertThat(replicaA.resolve("tls.key")).exists();
    assertThat(client.secrets().inNamespace("stigg-system").list().getItems()).hasSize(1);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
