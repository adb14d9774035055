package dev.stiggsidecar.webhook.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stiggsidecar.webhook.tls.CertificateIssuer;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Another team's mutating webhook, called after ours: it appends a container named {@value
 * #CONTAINER} to every pod of one namespace that lacks it. With {@code reinvocationPolicy:
 * IfNeeded}, the API server then calls our webhook again, which must give that container the
 * sidecar's address and otherwise change nothing.
 */
final class ContainerAddingWebhook implements AutoCloseable {

  static final String CONTAINER = "audit-agent";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final String caBundle;

  ContainerAddingWebhook() throws IOException, GeneralSecurityException {
    CertificateIssuer issuer = new CertificateIssuer();
    CertificateIssuer.Issued ca = issuer.certificateAuthority("audit-webhook-ca", Instant.now());
    CertificateIssuer.Issued serving = issuer.serving(ca, List.of("127.0.0.1"), Instant.now());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("serving", serving.keys().getPrivate(), new char[0],
        new X509Certificate[] {serving.certificate(), ca.certificate()});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody()).path("request");
      boolean present = false;
      for (JsonNode container : request.path("object").path("spec").path("containers")) {
        present |= CONTAINER.equals(container.path("name").asText());
      }
      String patch = present ? "[]" : "[{\"op\":\"add\",\"path\":\"/spec/containers/-\",\"value\":"
          + "{\"name\":\"" + CONTAINER + "\",\"image\":\"registry.example/audit:1\"}}]";
      byte[] body = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview")
          .set("response", JSON.createObjectNode().put("uid", request.path("uid").asText()).put("allowed", true)
              .put("patchType", "JSONPatch")
              .put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8))))
          .toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    caBundle = Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.US_ASCII));
  }

  /** Named to sort after ours, so the API server calls it second. */
  MutatingWebhookConfiguration configuration(String namespace) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName("zz-audit-agent").endMetadata()
        .addNewWebhook().withName("audit.example.com")
          .withNewClientConfig().withUrl("https://127.0.0.1:" + server.getAddress().getPort() + "/")
            .withCaBundle(caBundle).endClientConfig()
          .addNewRule().withApiGroups("").withApiVersions("v1").withOperations("CREATE").withResources("pods")
            .endRule()
          .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", namespace).endNamespaceSelector()
          .withAdmissionReviewVersions("v1").withSideEffects("None").withFailurePolicy("Fail")
          .withReinvocationPolicy("Never").withTimeoutSeconds(5)
        .endWebhook().build();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
