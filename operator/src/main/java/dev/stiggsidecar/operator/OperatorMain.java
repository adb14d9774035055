package dev.stiggsidecar.operator;

import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.operator.cli.RenderCommand;
import dev.stiggsidecar.operator.leader.LeaderElection;
import dev.stiggsidecar.operator.leader.LeaderLease;
import dev.stiggsidecar.operator.reconciler.StatusMetrics;
import dev.stiggsidecar.opshttp.OpsHttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code stigg-operator.jar [run]} runs the operator; {@code render -f <file>} prints what it would create. */
public final class OperatorMain {

  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  static final String USAGE = """
      Usage:
        java -jar stigg-operator.jar [run]
            Reconciles StiggSidecar resources in the cluster of the current kubeconfig or service account.
        java -jar stigg-operator.jar render -f <stiggsidecar.yaml|-> [--namespace <ns>]
            Prints the objects the operator would create, as multi-document YAML, without a cluster.

      Environment (run):
        HTTP_PORT                  /healthz, /readyz, /metrics (default 8080)
        LEADER_ELECTION_NAMESPACE  namespace of the leader-election Lease; set it when running more than
                                   one replica (manifests/ set it to the operator's namespace)
        LEADER_ELECTION_LEASE_DURATION_SECONDS, LEADER_ELECTION_RENEW_DEADLINE_SECONDS,
        LEADER_ELECTION_RETRY_PERIOD_SECONDS
                                   lease timing (15, 10, 2): a standby takes over a leader that stopped
                                   without handing over within the lease duration
        SIDECAR_IMAGE, PERSISTENT_CACHE_IMAGE, REDIS_IMAGE
                                   images used when a StiggSidecar names none
      """;

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorDefaults defaults = OperatorDefaults.fromEnv(System.getenv());
    if (args.length > 0 && args[0].equals("render")) {
      System.exit(render(args, defaults));
    }
    if (args.length > 0 && !args[0].equals("run")) {
      System.err.print(args[0].equals("--help") || args[0].equals("-h") ? USAGE : "unknown command " + args[0] + "\n" + USAGE);
      System.exit(args[0].startsWith("-h") || args[0].equals("--help") ? 0 : 2);
    }
    run(System.getenv(), defaults);
  }

  private static int render(String[] args, OperatorDefaults defaults) throws IOException {
    String file = null;
    String namespace = "default";
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "-f", "--filename" -> file = i + 1 < args.length ? args[++i] : null;
        case "-n", "--namespace" -> namespace = i + 1 < args.length ? args[++i] : namespace;
        default -> {
          System.err.print("unknown option " + args[i] + "\n" + USAGE);
          return 2;
        }
      }
    }
    if (file == null) {
      System.err.print("render needs -f <file> (or -f - for stdin)\n" + USAGE);
      return 2;
    }
    String yaml;
    try {
      yaml = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      System.err.println(file + ": no such file");
      return 2;
    }
    return new RenderCommand(defaults).run(yaml, file, namespace, System.out, System.err);
  }

  /**
   * {@code /healthz}; {@code /readyz}, once started with every informer synced and healthy (a
   * standby replica is ready too: its caches are warm for when it leads); {@code /metrics}.
   */
  static Map<String, Supplier<OpsHttpServer.Answer>> endpoints(Operator operator, PrometheusMeterRegistry registry,
      StatusMetrics statusMetrics) {
    return Map.of(
        "/healthz", () -> OpsHttpServer.Answer.text(200, "ok\n"),
        "/readyz", () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy()
            ? OpsHttpServer.Answer.text(200, "ready\n")
            : OpsHttpServer.Answer.text(503, "informers not synced or unhealthy\n"),
        "/metrics", () -> {
          statusMetrics.refresh();
          return OpsHttpServer.Answer.prometheus(registry.scrape());
        });
  }

  private static void run(Map<String, String> env, OperatorDefaults defaults) throws Exception {
    Optional<LeaderLease> lease;
    try {
      lease = LeaderLease.fromEnv(env);
    } catch (IllegalArgumentException invalid) {
      System.err.println("invalid configuration: " + invalid.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Optional<LeaderElection> election = lease.map(l -> new LeaderElection(l, client));
    StatusMetrics statusMetrics = new StatusMetrics(registry);
    Operator operator = StiggSidecarOperator.create(client, defaults, registry, statusMetrics,
        election.map(LeaderElection::configuration), Clock.systemUTC());
    int port = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"));
    OpsHttpServer http = new OpsHttpServer(new InetSocketAddress(port), endpoints(operator, registry, statusMetrics)).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: finishing reconciliations in flight");
      election.ifPresent(LeaderElection::stopping);
      operator.stop();
      election.ifPresent(LeaderElection::release);
      http.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    log.info("starting; images by default: sidecar {}, persistent cache {}, redis {}; leader election {}",
        defaults.sidecarImage(), defaults.persistentCacheImage(), defaults.redisImage(),
        lease.map(l -> "on, Lease " + l.namespace() + "/" + l.name() + " as " + l.identity()).orElse("off"));
    operator.start();
    log.info("started; health and metrics on port {}", http.port());
    stopped.await();
  }
}
