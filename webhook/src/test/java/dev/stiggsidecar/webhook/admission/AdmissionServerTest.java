package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.operator.model.OperatorDefaults;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import dev.stiggsidecar.webhook.tls.ReloadingKeyManager;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringWriter;
import java.math.BigInteger;
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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTPS round trips against the running admission server, including a certificate rotation. */
class AdmissionServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void admitsOverHttpsRejectsMalformedReviewsAndPicksUpARotatedCertificate() throws Exception {
    X509Certificate first = writeCertificate(BigInteger.ONE);
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
      assertThat(peerSerial(admitted)).isEqualTo(BigInteger.ONE);
      JsonNode response = JSON.readTree(admitted.body()).path("response");
      JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
      Pod result = JSON.treeToValue(JsonPatch.apply(patch, JSON.readTree(pod)), Pod.class);
      assertThat(result.getSpec().getInitContainers().get(0).getName()).isEqualTo("stigg-sidecar");

      HttpResponse<String> malformed = post(server, first, "/mutate", "{\"kind\":");
      assertThat(malformed.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(malformed.body()).path("error").asText()).startsWith("body is not JSON");

      X509Certificate second = writeCertificate(BigInteger.TWO);
      Files.setLastModifiedTime(dir.resolve("tls.crt"), FileTime.from(Instant.now().plusSeconds(5)));
      assertThat(keys.reloadIfChanged()).isTrue();
      HttpResponse<String> afterRotation = post(server, second, "/mutate", AdmissionHandlerTest.review(pod));
      assertThat(afterRotation.statusCode()).isEqualTo(200);
      assertThat(peerSerial(afterRotation)).isEqualTo(BigInteger.TWO);

      Files.writeString(dir.resolve("tls.key"), "not a key");
      Files.setLastModifiedTime(dir.resolve("tls.key"), FileTime.from(Instant.now().plusSeconds(10)));
      assertThat(keys.reloadIfChanged()).as("a broken rotation keeps the previous certificate").isFalse();
      assertThat(post(server, second, "/mutate", AdmissionHandlerTest.review(pod)).statusCode()).isEqualTo(200);
    }
  }

  private X509Certificate writeCertificate(BigInteger serial) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=stigg-sidecar-webhook.stigg-system.svc");
    Instant now = Instant.now();
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(name, serial, Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic())
            .addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    Files.writeString(dir.resolve("tls.crt"), pem(certificate));
    Files.writeString(dir.resolve("tls.key"), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
    return certificate;
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static HttpResponse<String> post(AdmissionServer server, X509Certificate trusted, String path, String body)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("webhook", trusted);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, factory.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static BigInteger peerSerial(HttpResponse<String> response) throws Exception {
    SSLSession session = response.sslSession().orElseThrow();
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }
}
