package dev.stiggsidecar.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.operator.health.OperatorHttpServer;
import dev.stiggsidecar.operator.model.OperatorDefaults;
import dev.stiggsidecar.operator.model.StiggSidecar;
import dev.stiggsidecar.webhook.admission.AdmissionHandler;
import dev.stiggsidecar.webhook.admission.AdmissionServer;
import dev.stiggsidecar.webhook.admission.InjectionMetrics;
import dev.stiggsidecar.webhook.admission.KubernetesInjectionEvents;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
import dev.stiggsidecar.webhook.tls.ReloadingKeyManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: the admission webhook. Every replica serves (no leader election); it reads
 * {@code StiggSidecar} resources from an informer cache, so admission makes no API calls.
 */
final class ServeCommand {

  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  private ServeCommand() {}

  static void run(Map<String, String> env) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    SharedIndexInformer<StiggSidecar> informer = client.resources(StiggSidecar.class).inAnyNamespace().inform();
    boolean nativeSidecars = supportsNativeSidecars(client.getKubernetesVersion());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AdmissionHandler handler = new AdmissionHandler(new ObjectMapper(),
        new InjectionPolicy(env.getOrDefault("POD_NAMESPACE", "stigg-system")),
        namespace -> informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace),
        OperatorDefaults.fromEnv(env), nativeSidecars, new InjectionMetrics(registry),
        new KubernetesInjectionEvents(client, Clock.systemUTC()));
    ReloadingKeyManager keys = new ReloadingKeyManager(
        Path.of(env.getOrDefault("TLS_CERT_FILE", "/etc/stigg-webhook/tls/tls.crt")),
        Path.of(env.getOrDefault("TLS_KEY_FILE", "/etc/stigg-webhook/tls/tls.key")));
    AdmissionServer admission = new AdmissionServer(
        new InetSocketAddress(Integer.parseInt(env.getOrDefault("PORT", "8443"))), keys, handler);
    OperatorHttpServer ops = new OperatorHttpServer(
        new InetSocketAddress(Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"))), informer::hasSynced, registry);
    log.info("serving admission on port {}; native sidecars {}; health and metrics on port {}", admission.port(),
        nativeSidecars ? "on (Kubernetes 1.29+)" : "off", ops.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      admission.close();
      ops.close();
      informer.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
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
