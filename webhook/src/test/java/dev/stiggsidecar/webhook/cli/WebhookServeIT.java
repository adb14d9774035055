package dev.stiggsidecar.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.operator.model.StiggSidecar;
import dev.stiggsidecar.webhook.tls.TrustOnly;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar stigg-webhook.jar serve} as a process against the mock API server: it issues
 * its own certificate into the Secret, reads StiggSidecars through its informer, reports ready,
 * and injects an annotated pod over HTTPS that a client trusting only that CA accepts.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookServeIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;

  @Test
  void servesWithItsOwnCertificate() throws Exception {
    try (InputStream crd = new FileInputStream(Path.of(System.getProperty("manifests.dir"), "..", "crds",
        "stiggsidecars.sidecar.stigg.io.yaml").toFile())) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    try (InputStream example = Files.newInputStream(Path.of(System.getProperty("manifests.dir"), "examples",
        "stiggsidecar.yaml"))) {
      client.resources(StiggSidecar.class).load(example).create();
    }
    int port = freePort();
    int httpPort = freePort();
    Path tlsDirectory = Files.createTempDirectory("webhook-tls");
    File log = File.createTempFile("webhook-serve", ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("webhook.jar"), "serve").redirectErrorStream(true).redirectOutput(log);
    Map<String, String> env = builder.environment();
    env.put("KUBERNETES_MASTER", client.getMasterUrl().toString());
    env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("POD_NAMESPACE", "stigg-system");
    env.put("PORT", Integer.toString(port));
    env.put("HTTP_PORT", Integer.toString(httpPort));
    env.put("TLS_DIRECTORY", tlsDirectory.toString());
    Process webhook = builder.start();
    try {
      HttpClient plain = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

      Secret tls = client.secrets().inNamespace("stigg-system").withName("stigg-sidecar-webhook-tls").get();
      assertThat(tls).as(Files.readString(log.toPath())).isNotNull();
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
          new ByteArrayInputStream(Base64.getDecoder().decode(tls.getData().get("ca.crt"))));

      String pod = """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"checkout-1","namespace":"shop",
           "annotations":{"sidecar.stigg.io/inject":"true"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}
          """;
      String review = """
          {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",
           "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"shop","object":%s}}
          """.formatted(pod);
      HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/mutate").toURL()
          .openConnection();
      connection.setSSLSocketFactory(TrustOnly.ca(ca).getSocketFactory());
      // The certificate names the Service, which does not resolve here; trust is checked, the name is not.
      connection.setHostnameVerifier((host, session) -> true);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.getOutputStream().write(review.getBytes(StandardCharsets.UTF_8));
      assertThat(connection.getResponseCode()).isEqualTo(200);
      JsonNode answer = JSON.readTree(connection.getInputStream()).path("response");
      assertThat(answer.path("uid").asText()).isEqualTo("u-1");
      String patch = new String(Base64.getDecoder().decode(answer.path("patch").asText()), StandardCharsets.UTF_8);
      assertThat(patch).contains("stigg-sidecar", "default-sidecar-env", "stigg-api-key");

      String metrics = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("stigg_sidecar_injection_total{reason=\"injected\",result=\"injected\"} 1.0");
    } finally {
      webhook.destroy();
      webhook.waitFor();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
