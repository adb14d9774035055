package dev.stiggsidecar.webhook.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.JarProcess;
import dev.stiggsidecar.webhook.tls.TrustOnly;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two webhook replicas (processes of the jar, as the webhook's ServiceAccount) started at the same
 * moment against one API server, as a fresh install or a rollout does: both serve, neither exits,
 * they issue one Secret and serve the same certificate, and the caBundle is written once.
 * Repeated, since the race is a matter of timing; {@code WebhookCertificatesTest} forces each
 * conflict deterministically.
 */
@ExtendWith(ApiServerExtension.class)
class WebhookReplicasIT {

  private static final Logger log = LoggerFactory.getLogger(WebhookReplicasIT.class);
  private static final String SECRET = "stigg-sidecar-webhook-tls";
  private final List<JarProcess> replicas = new ArrayList<>();

  @AfterEach
  void stop() {
    replicas.forEach(JarProcess::close);
  }

  @RepeatedTest(3)
  void twoReplicasStartedTogetherShareOneCertificateAndSetTheCaBundleOnce(ApiServer server) throws Exception {
    KubernetesClient admin = server.admin();
    Installation installation = Installation.render().applyFoundations(server);
    admin.secrets().inNamespace(Installation.NAMESPACE).withName(SECRET).delete();
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(Installation.WEBHOOK).delete();
    installation.apply(server, MutatingWebhookConfiguration.class::isInstance, object -> object);
    long generation = configuration(admin).getMetadata().getGeneration();
    Path kubeconfig = server.kubeconfigAs(Installation.NAMESPACE, Installation.WEBHOOK);

    List<Replica> started = List.of(replica("webhook-a", kubeconfig), replica("webhook-b", kubeconfig));

    HttpClient http = HttpClient.newHttpClient();
    for (Replica replica : started) {
      HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.httpPort() + "/readyz")).build();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> !replica.process().isAlive()
              || http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      assertThat(replica.process().isAlive()).as(replica.process().toString()).isTrue();
    }
    Secret secret = admin.secrets().inNamespace(Installation.NAMESPACE).withName(SECRET).get();
    X509Certificate ca = certificate(secret.getData().get("ca.crt"));
    X509Certificate serving = certificate(secret.getData().get("tls.crt"));
    for (Replica replica : started) {
      assertThat(servedCertificate(replica.port(), ca)).as("the certificate %s serves", replica.process().name())
          .isEqualTo(serving);
      assertThat(replica.process().isAlive()).as(replica.process().toString()).isTrue();
      assertThat(replica.process().output()).doesNotContain("ERROR", "Exception");
    }
    assertThat(admin.secrets().inNamespace(Installation.NAMESPACE).list().getItems())
        .filteredOn(s -> s.getMetadata().getName().startsWith("stigg-sidecar-webhook")).hasSize(1);
    assertThat(configuration(admin).getWebhooks()).allSatisfy(hook ->
        assertThat(hook.getClientConfig().getCaBundle()).isEqualTo(secret.getData().get("ca.crt")));
    assertThat(configuration(admin).getMetadata().getGeneration()).as("the caBundle was written once")
        .isEqualTo(generation + 1);

    log.info("replicas started together; writes that met another replica's first: {}", started.stream()
        .mapToLong(replica -> replica.process().output().lines().filter(line -> line.contains("meanwhile")).count())
        .sum());

    // Re-applying manifests/ (an upgrade) keeps the caBundle the replicas set: it is not in the manifests.
    installation.apply(server, MutatingWebhookConfiguration.class::isInstance, object -> object);
    assertThat(configuration(admin).getWebhooks().get(0).getClientConfig().getCaBundle())
        .isEqualTo(secret.getData().get("ca.crt"));
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(Installation.WEBHOOK).delete();
  }

  /** A webhook process, its HTTPS admission port and its health port. */
  private record Replica(JarProcess process, int port, int httpPort) {}

  private Replica replica(String name, Path kubeconfig) {
    int port = JarProcess.freePort();
    int httpPort = JarProcess.freePort();
    JarProcess process = JarProcess.start(name, Path.of(System.getProperty("webhook.jar")), List.of("serve"), Map.of(
        "KUBECONFIG", kubeconfig.toString(),
        "POD_NAMESPACE", Installation.NAMESPACE,
        "PORT", Integer.toString(port),
        "HTTP_PORT", Integer.toString(httpPort),
        "TLS_DIRECTORY", Path.of("target", name + "-tls-" + UUID.randomUUID()).toAbsolutePath().toString(),
        "TLS_EXTRA_HOSTS", "127.0.0.1"));
    replicas.add(process);
    return new Replica(process, port, httpPort);
  }

  /** The leaf certificate a replica presents, to a client that trusts only {@code ca}; it answers a review too. */
  private static X509Certificate servedCertificate(int port, X509Certificate ca) throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/mutate").toURL()
        .openConnection();
    connection.setSSLSocketFactory(TrustOnly.ca(ca).getSocketFactory());
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.getOutputStream().write("""
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","namespace":"shop",
         "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[]}}}}
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(connection.getResponseCode()).isEqualTo(200);
    Certificate[] chain = connection.getServerCertificates();
    assertThat(new ObjectMapper().readTree(connection.getInputStream()).path("response").path("uid").asText())
        .isEqualTo("u-1");
    return (X509Certificate) chain[0];
  }

  private static X509Certificate certificate(String base64Pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }

  private static MutatingWebhookConfiguration configuration(KubernetesClient admin) {
    return admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(Installation.WEBHOOK).get();
  }
}
