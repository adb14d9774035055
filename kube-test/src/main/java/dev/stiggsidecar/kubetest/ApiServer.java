package dev.stiggsidecar.kubetest;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real kube-apiserver with etcd (fabric8 kube-api-test): RBAC, admission webhooks, CRD schema and
 * CEL validation, server-side apply and conflicts as in a cluster; no controllers, scheduler or
 * kubelet. One is started per test JVM (see {@link ApiServerExtension}); tests share it and keep
 * to namespaces of their own.
 *
 * <p>Besides the administrator, it hands out clients and kubeconfigs that authenticate with a real
 * token of a ServiceAccount (the TokenRequest API), so RBAC is checked exactly as for a pod.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Used when no binaries are provided and kube-api-test downloads them. */
  private static final String DEFAULT_VERSION = "1.36.2";

  private final KubeAPIServer server;
  private final Config adminConfig;
  private final KubernetesClient admin;
  private final Path directory;
  private final String version;
  private final AtomicInteger files = new AtomicInteger();

  private ApiServer(KubeAPIServer server, String kubeconfig, Path directory, String version) {
    this.server = server;
    this.adminConfig = Config.fromKubeconfig(kubeconfig);
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    this.directory = directory;
    this.version = version;
  }

  /**
   * @param directory where certificates, etcd data and the binaries' layout go
   * @param providedBinaries a folder of {@code <version>-linux-amd64/} binaries; absent or empty:
   *     kube-api-test downloads them
   */
  static ApiServer start(Path directory, Path providedBinaries) {
    long started = System.nanoTime();
    Optional<String> provided = ApiServerBinaries.layOut(providedBinaries, directory);
    String version = provided.orElse(DEFAULT_VERSION);
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(directory.toString())
        .withApiServerVersion(version)
        // As on clusters that enforce it: an owner reference that blocks deletion needs the right
        // to update the owner's finalizers.
        .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
        .build());
    try {
      server.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(provided.isPresent()
          ? "the API server from " + providedBinaries + " did not start: " + e.getMessage()
          : "no API server binaries in " + providedBinaries + " (the kube-api-test.binaries property) and "
              + "kube-api-test could not use or download its own: " + e.getMessage(), e);
    }
    ApiServer apiServer = new ApiServer(server, server.getKubeConfigYaml(), directory, version);
    log.info("kube-apiserver {} ({}) ready in {} ms at {}", version,
        provided.isPresent() ? "provided binaries" : "downloaded binaries",
        (System.nanoTime() - started) / 1_000_000, apiServer.adminConfig.getMasterUrl());
    return apiServer;
  }

  public String version() {
    return version;
  }

  /** A client in {@code system:masters}: for arranging and inspecting, never for the code under test. */
  public KubernetesClient admin() {
    return admin;
  }

  /** A kubeconfig file for the administrator, for {@code kubectl}. */
  public Path adminKubeconfig() {
    return write(kubeconfig(null));
  }

  /** What {@code kubectl} printed (stdout and stderr) and its exit code. */
  public record KubectlRun(int exitCode, String output) {}

  /** Runs the {@code kubectl} on {@code PATH} as the administrator, as a user would. */
  public KubectlRun kubectl(String... arguments) {
    return kubectlWithInput("", arguments);
  }

  /** {@link #kubectl} with {@code input} on its standard input (for {@code -f -}). */
  public KubectlRun kubectlWithInput(String input, String... arguments) {
    List<String> command = new ArrayList<>(List.of(ApiServerBinaries.kubectlOnPath().toString(),
        "--kubeconfig", adminKubeconfig().toString()));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (var stdin = process.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", arguments) + " did not finish:\n" + output);
      }
      return new KubectlRun(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A namespace of its own for a test: {@code <prefix>-<random>}. */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  /** A token of the ServiceAccount, as the kubelet would mount it. */
  public String token(String namespace, String serviceAccount) {
    return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
  }

  /** A client that authenticates as the ServiceAccount, with optional interceptors (e.g. {@link RejectionLog}). */
  public KubernetesClient clientAs(String namespace, String serviceAccount, Interceptor... interceptors) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withOauthToken(token(namespace, serviceAccount))
        .build();
    return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(builder -> {
      for (int i = 0; i < interceptors.length; i++) {
        builder.addOrReplaceInterceptor("test-" + i, interceptors[i]);
      }
    }).build();
  }

  /** A kubeconfig file that authenticates as the ServiceAccount, for the operator and webhook processes. */
  public Path kubeconfigAs(String namespace, String serviceAccount) {
    return write(kubeconfig(token(namespace, serviceAccount)));
  }

  private String kubeconfig(String token) {
    String user = token == null
        ? "    client-certificate: " + adminConfig.getClientCertFile() + "\n"
            + "    client-key: " + adminConfig.getClientKeyFile() + "\n"
        : "    token: " + token + "\n";
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: test
          user:
        %scontexts:
        - name: test
          context: {cluster: test, user: test, namespace: default}
        current-context: test
        """.formatted(adminConfig.getMasterUrl(), adminConfig.getCaCertFile(), user);
  }

  private Path write(String kubeconfig) {
    try {
      Path file = directory.resolve("kubeconfig-" + files.incrementAndGet());
      Files.writeString(file, kubeconfig);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
    server.stop();
  }
}
