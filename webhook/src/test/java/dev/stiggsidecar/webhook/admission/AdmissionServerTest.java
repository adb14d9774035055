package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import dev.stiggsidecar.webhook.tls.CertificateIssuer;
import dev.stiggsidecar.webhook.tls.ReloadingKeyManager;
import dev.stiggsidecar.webhook.tls.TrustOnly;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTPS round trips against the running admission server, with certificates from the
 * webhook's own issuer, including a rotation to a new CA and a broken rotation.
 */
class AdmissionServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CertificateIssuer ISSUER = new CertificateIssuer();

  @TempDir Path dir;

  @Test
  void admitsOverHttpsRejectsMalformedReviewsAndPicksUpARotatedCertificate() throws Exception {
    CertificateIssuer.Issued firstCa = ISSUER.certificateAuthority("first-ca", Instant.now());
    X509Certificate first = writeCertificate(firstCa);
    AdmissionHandler handler = new AdmissionHandler(JSON, new InjectionPolicy("stigg-system"),
        namespace -> List.of(AdmissionHandlerTest.resource("default")), new OperatorDefaults("s:1", "p:1", "r:1"),
        true, new InjectionMetrics(new SimpleMeterRegistry()), (ns, pod, reason) -> { });
    ReloadingKeyManager keys = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    try (AdmissionServer server = new AdmissionServer(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), keys, handler)) {
      String pod = """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop",
           "annotations":{"sidecar.stigg.io/inject":"true"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}
          """;
      HttpResponse<String> admitted = post(server, first, "/mutate", AdmissionHandlerTest.review(pod));
      assertThat(admitted.statusCode()).isEqualTo(200);
      assertThat(peerIssuer(admitted)).isEqualTo("CN=first-ca");
      JsonNode response = JSON.readTree(admitted.body()).path("response");
      JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
      Pod result = JSON.treeToValue(JsonPatch.apply(patch, JSON.readTree(pod)), Pod.class);
      assertThat(result.getSpec().getInitContainers().get(0).getName()).isEqualTo("stigg-sidecar");

      HttpResponse<String> malformed = post(server, first, "/mutate", "{\"kind\":");
      assertThat(malformed.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(malformed.body()).path("error").asText()).startsWith("body is not JSON");

      X509Certificate second = writeCertificate(ISSUER.certificateAuthority("second-ca", Instant.now()));
      Files.setLastModifiedTime(dir.resolve("tls.crt"), FileTime.from(Instant.now().plusSeconds(5)));
      assertThat(keys.reloadIfChanged()).isTrue();
      HttpResponse<String> afterRotation = post(server, second, "/mutate", AdmissionHandlerTest.review(pod));
      assertThat(afterRotation.statusCode()).isEqualTo(200);
      assertThat(peerIssuer(afterRotation)).isEqualTo("CN=second-ca");

      Files.writeString(dir.resolve("tls.key"), "not a key");
      Files.setLastModifiedTime(dir.resolve("tls.key"), FileTime.from(Instant.now().plusSeconds(10)));
      assertThat(keys.reloadIfChanged()).as("a broken rotation keeps the previous certificate").isFalse();
      assertThat(post(server, second, "/mutate", AdmissionHandlerTest.review(pod)).statusCode()).isEqualTo(200);
    }
  }

  /**
   * A CA and serving certificate from the webhook's own issuer (the same code that serves in a
   * cluster), for {@code localhost}; returns the CA the client trusts.
   */
  private X509Certificate writeCertificate(CertificateIssuer.Issued authority) throws Exception {
    CertificateIssuer.Issued serving = ISSUER.serving(authority, List.of("localhost"), Instant.now());
    Files.writeString(dir.resolve("tls.crt"), serving.certificatePem());
    Files.writeString(dir.resolve("tls.key"), serving.privateKeyPem());
    return authority.certificate();
  }

  private static HttpResponse<String> post(AdmissionServer server, X509Certificate trusted, String path, String body)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(TrustOnly.ca(trusted)).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String peerIssuer(HttpResponse<String> response) throws Exception {
    SSLSession session = response.sslSession().orElseThrow();
    return ((X509Certificate) session.getPeerCertificates()[0]).getIssuerX500Principal().getName();
  }
}
