package dev.stiggsidecar.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.opshttp.OpsHttpServer;
import dev.stiggsidecar.webhook.admission.AdmissionHandler;
import dev.stiggsidecar.webhook.admission.AdmissionServer;
import dev.stiggsidecar.webhook.admission.InformerLookup;
import dev.stiggsidecar.webhook.admission.InjectionMetrics;
import dev.stiggsidecar.webhook.admission.KubernetesInjectionEvents;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import dev.stiggsidecar.webhook.tls.CertificateIssuer;
import dev.stiggsidecar.webhook.tls.ReloadingKeyManager;
import dev.stiggsidecar.webhook.tls.WebhookCertificates;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running admission webhook: every replica serves (no leader election); it reads {@code
 * StiggSidecar} resources from an informer cache, so admission makes no API calls in the common
 * case. Configured by the environment of {@code serve} (see {@link WebhookMain}); tests start it
 * in-process with a client of their choosing.
 */
public final class WebhookServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

  private final SharedIndexInformer<StiggSidecar> informer;
  private final AdmissionServer admission;
  private final OpsHttpServer ops;
  private final Optional<ScheduledExecutorService> renewer;

  private WebhookServer(SharedIndexInformer<StiggSidecar> informer, AdmissionServer admission, OpsHttpServer ops,
      Optional<ScheduledExecutorService> renewer) {
    this.informer = informer;
    this.admission = admission;
    this.ops = ops;
    this.renewer = renewer;
  }

  public static WebhookServer start(KubernetesClient client, Map<String, String> env) throws Exception {
    SharedIndexInformer<StiggSidecar> informer = client.resources(StiggSidecar.class).inAnyNamespace().inform();
    boolean nativeSidecars = supportsNativeSidecars(client.getKubernetesVersion());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AdmissionHandler handler = new AdmissionHandler(new ObjectMapper(),
        new InjectionPolicy(env.getOrDefault("POD_NAMESPACE", InjectionPolicy.DEFAULT_OPERATOR_NAMESPACE)),
        new InformerLookup(informer, client),
        OperatorDefaults.fromEnv(env), nativeSidecars, new InjectionMetrics(registry),
        new KubernetesInjectionEvents(client, Clock.systemUTC()));
    Optional<WebhookCertificates> certificates = env.containsKey("TLS_CERT_FILE")
        ? Optional.empty() : Optional.of(certificates(env, client));
    ReloadingKeyManager keys;
    if (certificates.isPresent()) {
      certificates.get().reconcile();
      keys = new ReloadingKeyManager(certificates.get().certificateFile(), certificates.get().keyFile());
    } else {
      keys = new ReloadingKeyManager(Path.of(env.get("TLS_CERT_FILE")),
          Path.of(env.getOrDefault("TLS_KEY_FILE", "/etc/stigg-webhook/tls/tls.key")));
    }
    AdmissionServer admission = new AdmissionServer(
        new InetSocketAddress(Integer.parseInt(env.getOrDefault("PORT", "8443"))), keys, handler);
    OpsHttpServer ops = new OpsHttpServer(new InetSocketAddress(Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"))),
        Map.of("/healthz", () -> OpsHttpServer.Answer.text(200, "ok\n"),
            "/readyz", () -> informer.hasSynced() ? OpsHttpServer.Answer.text(200, "ready\n")
                : OpsHttpServer.Answer.text(503, "StiggSidecar informer not synced\n"),
            "/metrics", () -> OpsHttpServer.Answer.prometheus(registry.scrape()))).start();
    log.info("serving admission on port {}; native sidecars {}; health and metrics on port {}", admission.port(),
        nativeSidecars ? "on (Kubernetes 1.29+)" : "off", ops.port());
    return new WebhookServer(informer, admission, ops, certificates.map(WebhookServer::renewHourly));
  }

  /** The informer whose cache admission reads. */
  public SharedIndexInformer<StiggSidecar> informer() {
    return informer;
  }

  public int port() {
    return admission.port();
  }

  @Override
  public void close() {
    renewer.ifPresent(ScheduledExecutorService::shutdownNow);
    admission.close();
    ops.close();
    informer.close();
  }

  /**
   * Certificate files given (cert-manager or your own): served as they are. Else our own, issued
   * and rotated in the Secret {@code TLS_SECRET_NAME}, with the caBundle kept in step.
   */
  private static WebhookCertificates certificates(Map<String, String> env, KubernetesClient client) {
    String namespace = env.getOrDefault("POD_NAMESPACE", InjectionPolicy.DEFAULT_OPERATOR_NAMESPACE);
    return new WebhookCertificates(client, namespace,
        env.getOrDefault("TLS_SECRET_NAME", "stigg-sidecar-webhook-tls"),
        WebhookCertificates.hosts(env.getOrDefault("WEBHOOK_SERVICE_NAME", "stigg-sidecar-webhook"), namespace,
            List.of(env.getOrDefault("TLS_EXTRA_HOSTS", "").split(","))),
        env.getOrDefault("WEBHOOK_CONFIGURATION_NAME", "stigg-sidecar-webhook"),
        Path.of(env.getOrDefault("TLS_DIRECTORY", "/tmp/stigg-webhook-tls")), new CertificateIssuer(), Clock.systemUTC());
  }

  private static ScheduledExecutorService renewHourly(WebhookCertificates certificates) {
    ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "certificate-renewer");
      thread.setDaemon(true);
      return thread;
    });
    renewer.scheduleWithFixedDelay(() -> {
      try {
        certificates.reconcile();
      } catch (Exception e) {
        log.warn("certificate check failed; retrying in an hour: {}", e.getMessage());
      }
    }, 1, 1, TimeUnit.HOURS);
    return renewer;
  }

  /** Native sidecars (init containers with restartPolicy Always) are on by default from Kubernetes 1.29. */
  static boolean supportsNativeSidecars(VersionInfo version) {
    try {
      int major = Integer.parseInt(version.getMajor().replaceAll("\\D", ""));
      int minor = Integer.parseInt(version.getMinor().replaceAll("\\D", ""));
      return major > 1 || (major == 1 && minor >= 29);
    } catch (RuntimeException unknown) {
      log.warn("could not read the Kubernetes version ({}); injecting classic sidecars in Auto mode", unknown.getMessage());
      return false;
    }
  }
}
