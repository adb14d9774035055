package dev.stiggsidecar.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.RejectionLog;
import dev.stiggsidecar.kubetest.Installation;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook's own TLS on a real API server, as its ServiceAccount with the shipped RBAC:
 * issuance, sharing between replicas, renewal, CA rotation and the caBundle, with no request
 * forbidden; and the races of replicas starting together, made to happen on purpose.
 */
@ExtendWith(ApiServerExtension.class)
class WebhookCertificatesTest {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final String SECRET = "stigg-sidecar-webhook-tls";
  private static final String CONFIGURATION = "stigg-sidecar-webhook";

  private static Installation installation;
  private final RejectionLog rejections = new RejectionLog();
  private ApiServer server;
  private KubernetesClient admin;
  @TempDir Path replicaA;
  @TempDir Path replicaB;

  @BeforeAll
  static void install(ApiServer server) {
    installation = Installation.render().applyFoundations(server);
  }

  @BeforeEach
  void freshConfiguration(ApiServer server) {
    this.server = server;
    this.admin = server.admin();
    admin.secrets().inNamespace(Installation.NAMESPACE).withName(SECRET).delete();
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIGURATION).delete();
    // The shipped configuration, matching no pod here: these tests are about its caBundle only.
    installation.apply(server, MutatingWebhookConfiguration.class::isInstance, object -> {
      ((MutatingWebhookConfiguration) object).getWebhooks().forEach(webhook -> webhook.setObjectSelector(
          new LabelSelectorBuilder().addToMatchLabels("test", "matches-no-pod").build()));
      return object;
    });
    await(() -> configuration() != null);
  }

  @AfterEach
  void removeConfiguration() {
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIGURATION).delete();
    assertThat(rejections.forbidden()).as("requests the shipped RBAC forbade").isEmpty();
  }

  private WebhookCertificates replica(Path directory, Instant now, List<String> extraHosts, Interceptor... interceptors) {
    KubernetesClient client = server.clientAs(Installation.NAMESPACE, Installation.WEBHOOK,
        append(interceptors, rejections));
    return new WebhookCertificates(client, Installation.NAMESPACE, SECRET,
        WebhookCertificates.hosts("stigg-sidecar-webhook", Installation.NAMESPACE, extraHosts), CONFIGURATION,
        directory, new CertificateIssuer(), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void replicasShareOneCaRenewAndRotateItAndTheCaBundleFollows() throws Exception {
    long generation = configuration().getMetadata().getGeneration();
    replica(replicaA, NOW, List.of()).reconcile();
    Secret secret = secret();
    X509Certificate ca = PemKeyMaterial.certificates(decode(secret.getData().get("ca.crt")), "ca").get(0);
    X509Certificate serving = PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0);
    serving.verify(ca.getPublicKey());
    assertThat(serving.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
        .containsExactly("stigg-sidecar-webhook.stigg-system.svc", "stigg-sidecar-webhook.stigg-system.svc.cluster.local");
    assertThat(PemKeyMaterial.load(replicaA.resolve("tls.crt"), replicaA.resolve("tls.key"))).isNotNull();
    assertThat(configuration().getWebhooks()).hasSize(2).allSatisfy(webhook ->
        assertThat(webhook.getClientConfig().getCaBundle()).isEqualTo(secret.getData().get("ca.crt")));
    assertThat(configuration().getMetadata().getGeneration()).isEqualTo(generation + 1);

    // A second replica uses the same Secret: same files, nothing written.
    replica(replicaB, NOW.plusSeconds(60), List.of()).reconcile();
    assertThat(Files.readString(replicaB.resolve("tls.crt"))).isEqualTo(Files.readString(replicaA.resolve("tls.crt")));
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(secret.getMetadata().getResourceVersion());
    assertThat(configuration().getMetadata().getGeneration()).isEqualTo(generation + 1);

    // 340 days later the serving certificate is renewed from the same CA.
    replica(replicaA, NOW.plus(Duration.ofDays(340)), List.of()).reconcile();
    Secret renewed = secret();
    assertThat(renewed.getData().get("ca.crt")).isEqualTo(secret.getData().get("ca.crt"));
    assertThat(renewed.getData().get("tls.crt")).isNotEqualTo(secret.getData().get("tls.crt"));
    X509Certificate next = PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0);
    next.verify(ca.getPublicKey());
    assertThat(next.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(700)));

    // Near the CA's end, a new CA, bundled with the outgoing one until it expires; the caBundle follows.
    replica(replicaA, ca.getNotAfter().toInstant().minus(Duration.ofDays(10)), List.of()).reconcile();
    List<X509Certificate> bundle = PemKeyMaterial.certificates(decode(secret().getData().get("ca.crt")), "ca");
    assertThat(bundle).hasSize(2);
    assertThat(bundle.get(1)).isEqualTo(ca);
    PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0)
        .verify(bundle.get(0).getPublicKey());
    assertThat(configuration().getWebhooks().get(0).getClientConfig().getCaBundle())
        .isEqualTo(secret().getData().get("ca.crt"));
  }

  @Test
  void extraHostsAreNamedAndChangingThemReissuesFromTheSameCa() throws Exception {
    replica(replicaA, NOW, List.of()).reconcile();
    String ca = secret().getData().get("ca.crt");

    replica(replicaA, NOW.plusSeconds(60), List.of("127.0.0.1", " webhook.example ")).reconcile();
    X509Certificate serving = PemKeyMaterial.certificates(Files.readString(replicaA.resolve("tls.crt")), "tls").get(0);
    assertThat(serving.getSubjectAlternativeNames().stream().map(name -> name.get(0) + "=" + name.get(1)))
        .contains("7=127.0.0.1", "2=webhook.example");
    assertThat(secret().getData().get("ca.crt")).isEqualTo(ca);
  }

  @Test
  void aReplicaThatLosesTheRaceForTheSecretUsesTheWinnersCertificate() throws Exception {
    WebhookCertificates winner = replica(replicaB, NOW, List.of());
    WebhookCertificates loser = replica(replicaA, NOW, List.of(),
        beforeFirst("POST", "/secrets", () -> reconcile(winner)));

    loser.reconcile();

    assertThat(Files.readString(replicaA.resolve("tls.crt"))).isEqualTo(Files.readString(replicaB.resolve("tls.crt")));
    assertThat(admin.secrets().inNamespace(Installation.NAMESPACE).list().getItems())
        .filteredOn(s -> s.getMetadata().getName().startsWith("stigg-sidecar-webhook")).hasSize(1);
  }

  @Test
  void aReplicaThatLosesTheRaceForTheCaBundleReadsAgainAndLeavesItAsSet() throws Exception {
    replica(replicaB, NOW, List.of()).reconcile();
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIGURATION).edit(current -> {
      current.getWebhooks().forEach(webhook -> webhook.getClientConfig().setCaBundle(null));
      return current;
    });
    long generation = configuration().getMetadata().getGeneration();
    WebhookCertificates other = replica(replicaB, NOW, List.of());
    AtomicBoolean conflicted = new AtomicBoolean();
    WebhookCertificates racing = replica(replicaA, NOW, List.of(),
        beforeFirst("PUT", "/mutatingwebhookconfigurations/", () -> reconcile(other)),
        new Interceptor() {
          @Override
          public void after(HttpRequest request, io.fabric8.kubernetes.client.http.HttpResponse<?> response,
              io.fabric8.kubernetes.client.http.AsyncBody.Consumer<List<java.nio.ByteBuffer>> consumer) {
            conflicted.compareAndSet(false, response.code() == 409);
          }
        });

    racing.reconcile();

    assertThat(conflicted).as("the racing replica's write met a 409 Conflict").isTrue();
    assertThat(configuration().getWebhooks()).allSatisfy(webhook ->
        assertThat(webhook.getClientConfig().getCaBundle()).isEqualTo(secret().getData().get("ca.crt")));
    assertThat(configuration().getMetadata().getGeneration()).as("the caBundle was set once").isEqualTo(generation + 1);
  }

  /** Runs {@code competing} once, just before the first request with this method and path goes out. */
  private static Interceptor beforeFirst(String method, String path, Runnable competing) {
    AtomicBoolean done = new AtomicBoolean();
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (request.method().equals(method) && request.uri().getPath().contains(path) && done.compareAndSet(false, true)) {
          competing.run();
        }
      }
    };
  }

  private static void reconcile(WebhookCertificates replica) {
    try {
      replica.reconcile();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Interceptor[] append(Interceptor[] interceptors, Interceptor last) {
    Interceptor[] all = java.util.Arrays.copyOf(interceptors, interceptors.length + 1);
    all[interceptors.length] = last;
    return all;
  }

  private Secret secret() {
    return admin.secrets().inNamespace(Installation.NAMESPACE).withName(SECRET).get();
  }

  private MutatingWebhookConfiguration configuration() {
    return admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIGURATION).get();
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
