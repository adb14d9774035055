package dev.stiggsidecar.webhook;

import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.webhook.cli.InjectCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** {@code stigg-webhook.jar serve} runs the admission webhook; {@code inject} mutates manifests offline. */
public final class WebhookMain {

  static final String USAGE = """
      Usage:
        java -jar stigg-webhook.jar serve
            Serves the mutating admission webhook over HTTPS (POST /mutate, /mutate-namespace).
            Environment: PORT (8443), HTTP_PORT (8080: /healthz, /readyz, /metrics),
            TLS: by default the webhook issues its own CA and serving certificate into the Secret
            TLS_SECRET_NAME (stigg-sidecar-webhook-tls) in POD_NAMESPACE, renews them 30 days before
            they end, and sets the caBundle of WEBHOOK_CONFIGURATION_NAME (stigg-sidecar-webhook) for
            the Service WEBHOOK_SERVICE_NAME (stigg-sidecar-webhook). With TLS_CERT_FILE and
            TLS_KEY_FILE (PEM, PKCS#8 key; e.g. from cert-manager) it serves those instead.
            TLS_EXTRA_HOSTS: more DNS names or IP addresses, comma-separated, for its own certificate
            (a webhook configuration that calls it by URL rather than through the Service).
            Either way certificates are reloaded when they change.
            POD_NAMESPACE is never injected; SIDECAR_IMAGE as for the operator.
        java -jar stigg-webhook.jar inject -f <workloads.yaml|-> -c <stiggsidecar.yaml> [--native-sidecar true|false]
            Prints the workloads with the sidecar injected (Pods, Deployments, StatefulSets, DaemonSets,
            ReplicaSets, Jobs, CronJobs; other documents unchanged), as the webhook would inject them.
            --native-sidecar: what nativeSidecar: Auto means without a cluster to ask (default true:
            Kubernetes 1.29 or newer).

      Environment: SIDECAR_IMAGE (image when the StiggSidecar names none), as for the operator.
      """;

  private WebhookMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.err.print(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    if (args[0].equals("serve")) {
      try {
        ServeCommand.run(System.getenv());
      } catch (Exception e) {
        // One line that says what failed (an unreachable API server, a missing permission), not a stack trace.
        LoggerFactory.getLogger(WebhookMain.class).error("cannot serve: {}", e.getMessage() == null ? e : e.getMessage());
        System.exit(1);
      }
      return;
    }
    if (!args[0].equals("inject")) {
      System.err.print("unknown command " + args[0] + "\n" + USAGE);
      System.exit(2);
    }
    String workloads = null;
    String config = null;
    boolean nativeSidecar = true;
    for (int i = 1; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "-f", "--filename" -> { workloads = value; i++; }
        case "-c", "--config" -> { config = value; i++; }
        case "--native-sidecar" -> {
          if (!"true".equals(value) && !"false".equals(value)) {
            System.err.println("--native-sidecar takes true or false, got " + value);
            System.exit(2);
          }
          nativeSidecar = Boolean.parseBoolean(value);
          i++;
        }
        default -> {
          System.err.print("unknown option " + args[i] + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    if (workloads == null || config == null) {
      System.err.print("inject needs -f <workloads> and -c <stiggsidecar>\n" + USAGE);
      System.exit(2);
    }
    try {
      String workloadYaml = workloads.equals("-")
          ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(workloads));
      String configYaml = Files.readString(Path.of(config));
      System.exit(new InjectCommand(OperatorDefaults.fromEnv(System.getenv()))
          .run(workloadYaml, configYaml, nativeSidecar, System.out, System.err));
    } catch (NoSuchFileException e) {
      System.err.println(e.getFile() + ": no such file");
      System.exit(2);
    }
  }
}
