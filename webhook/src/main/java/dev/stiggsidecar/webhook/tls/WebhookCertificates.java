package dev.stiggsidecar.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS without prerequisites. One Secret holds the webhook's CA and serving certificate; every
 * replica runs {@link #reconcile()} at start and then periodically, and they converge on the same
 * Secret. Each replica writes the serving pair to local files, which its {@link
 * ReloadingKeyManager} picks up, and points the MutatingWebhookConfiguration's {@code caBundle} at
 * the shared CA, so replicas never disagree on it. Serving certificates are renewed 30 days before
 * they end, or when the hosts they must name change; the CA as well, keeping the outgoing CA in
 * the bundle until it expires.
 *
 * <p>Replicas start together, so every write here is optimistic: it carries the resourceVersion it
 * read, and when another replica (or anyone) wrote in between, the API server answers 409
 * Conflict and this replica reads again and decides anew, usually that nothing is left to do.
 */
public final class WebhookCertificates {

  private static final Logger log = LoggerFactory.getLogger(WebhookCertificates.class);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  /** Writes that met a conflict are retried this often, each after reading again. */
  private static final int MAX_ATTEMPTS = 10;

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final List<String> hosts;
  private final String webhookConfigurationName;
  private final Path directory;
  private final CertificateIssuer issuer;
  private final Clock clock;

  /**
   * @param hosts the DNS names and IP addresses the serving certificate names, the Service's
   *     first (see {@link #hosts})
   */
  public WebhookCertificates(KubernetesClient client, String namespace, String secretName, List<String> hosts,
      String webhookConfigurationName, Path directory, CertificateIssuer issuer, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.hosts = List.copyOf(hosts);
    this.webhookConfigurationName = webhookConfigurationName;
    this.directory = directory;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** The Service's names, by which the API server calls the webhook, then any {@code extra} hosts. */
  public static List<String> hosts(String serviceName, String namespace, List<String> extra) {
    List<String> hosts = new ArrayList<>(List.of(serviceName + "." + namespace + ".svc",
        serviceName + "." + namespace + ".svc.cluster.local"));
    extra.stream().map(String::trim).filter(host -> !host.isEmpty() && !hosts.contains(host)).forEach(hosts::add);
    return hosts;
  }

  public Path certificateFile() {
    return directory.resolve("tls.crt");
  }

  public Path keyFile() {
    return directory.resolve("tls.key");
  }

  /** Ensures a valid Secret, writes the local files, and patches the caBundle. */
  public void reconcile() throws IOException, GeneralSecurityException {
    Secret secret = ensureSecret();
    Map<String, String> data = secret.getData();
    writeIfChanged(certificateFile(), decode(data.get("tls.crt")));
    writeIfChanged(keyFile(), decode(data.get("tls.key")));
    patchCaBundle(data.get("ca.crt"));
  }

  private Secret ensureSecret() throws GeneralSecurityException {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Secret current = client.secrets().inNamespace(namespace).withName(secretName).get();
      try {
        if (current == null) {
          return client.secrets().inNamespace(namespace).resource(issueAll(null)).create();
        }
        if (fresh(current)) {
          return current;
        }
        Secret renewed = issueAll(current);
        renewed.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        log.info("renewing the webhook's serving certificate in Secret {}/{}", namespace, secretName);
        return client.secrets().inNamespace(namespace).resource(renewed).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        log.info("Secret {}/{} was written by another replica meanwhile; reading it again", namespace, secretName);
      }
    }
    throw new IllegalStateException("Secret " + namespace + "/" + secretName + " kept changing; giving up for now");
  }

  private boolean fresh(Secret secret) throws GeneralSecurityException {
    Map<String, String> data = secret.getData();
    if (data == null || !data.keySet().containsAll(List.of("ca.crt", "ca.key", "tls.crt", "tls.key"))) {
      return false;
    }
    Instant renewAt = clock.instant().plus(RENEW_BEFORE);
    X509Certificate serving = PemKeyMaterial.certificates(decode(data.get("tls.crt")), "tls.crt").get(0);
    X509Certificate authority = PemKeyMaterial.certificates(decode(data.get("ca.crt")), "ca.crt").get(0);
    return serving.getNotAfter().toInstant().isAfter(renewAt) && authority.getNotAfter().toInstant().isAfter(renewAt)
        && names(serving).containsAll(hosts.stream().map(WebhookCertificates::canonical).toList());
  }

  /** The DNS names and IP addresses of a certificate, in {@link #canonical} form. */
  private static Set<String> names(X509Certificate certificate) throws GeneralSecurityException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names == null ? Set.of()
        : names.stream().map(name -> canonical(String.valueOf(name.get(1)))).collect(Collectors.toSet());
  }

  /** One spelling per IP address ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same host). */
  private static String canonical(String host) {
    if (!CertificateIssuer.isIpAddress(host)) {
      return host.toLowerCase(Locale.ROOT);
    }
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      return host;
    }
  }

  /** A serving certificate from the existing CA while it is good, else from a new CA. */
  private Secret issueAll(Secret existing) throws GeneralSecurityException {
    Instant now = clock.instant();
    CertificateIssuer.Issued authority = null;
    String caBundle = "";
    if (existing != null && existing.getData() != null && existing.getData().containsKey("ca.crt")
        && existing.getData().containsKey("ca.key")) {
      String bundlePem = decode(existing.getData().get("ca.crt"));
      String caKeyPem = decode(existing.getData().get("ca.key"));
      X509Certificate ca = PemKeyMaterial.certificates(bundlePem, "ca.crt").get(0);
      if (ca.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))) {
        authority = new CertificateIssuer.Issued(pem(ca), caKeyPem, ca,
            new KeyPair(ca.getPublicKey(), PemKeyMaterial.privateKey(caKeyPem, "ca.key")));
        caBundle = bundlePem;
      } else if (ca.getNotAfter().toInstant().isAfter(now)) {
        // The outgoing CA stays in the bundle until it expires, so handshakes in flight during
        // the switch, and replicas that have not reloaded yet, are still trusted.
        caBundle = pem(ca);
      }
    }
    if (authority == null) {
      authority = issuer.certificateAuthority("stigg-sidecar-webhook-ca", now);
      caBundle = authority.certificatePem() + caBundle;
    }
    CertificateIssuer.Issued serving = issuer.serving(authority, hosts, now);
    return new SecretBuilder()
        .withNewMetadata().withName(secretName).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/name", "stigg-sidecar-webhook").endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("ca.crt", encode(caBundle))
        .addToData("ca.key", encode(authority.privateKeyPem()))
        .addToData("tls.crt", encode(serving.certificatePem()))
        .addToData("tls.key", encode(serving.privateKeyPem()))
        .build();
  }

  private void patchCaBundle(String caBundle) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      MutatingWebhookConfiguration configuration = client.admissionRegistration().v1()
          .mutatingWebhookConfigurations().withName(webhookConfigurationName).get();
      if (configuration == null) {
        log.warn("MutatingWebhookConfiguration {} not found; the API server cannot call the webhook until it exists",
            webhookConfigurationName);
        return;
      }
      if (configuration.getWebhooks().stream()
          .allMatch(webhook -> Objects.equals(caBundle, webhook.getClientConfig().getCaBundle()))) {
        return;
      }
      for (MutatingWebhook webhook : configuration.getWebhooks()) {
        webhook.getClientConfig().setCaBundle(caBundle);
      }
      try {
        // Carries the resourceVersion read above: a configuration changed since is not overwritten.
        client.resource(configuration).update();
        log.info("caBundle of MutatingWebhookConfiguration {} set to the webhook's CA", webhookConfigurationName);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        log.info("MutatingWebhookConfiguration {} was changed by another writer meanwhile; reading it again",
            webhookConfigurationName);
      }
    }
    throw new IllegalStateException("MutatingWebhookConfiguration " + webhookConfigurationName
        + " kept changing; the caBundle is set at the next check");
  }

  private static void writeIfChanged(Path file, String content) throws IOException {
    if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(content)) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(temporary, content, StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String pem(X509Certificate certificate) throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
