package dev.stiggsidecar.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.embedded.RedisServer;

/**
 * Runs the five images as containers, loaded from the OCI archives {@code images/build.sh} wrote,
 * each on a read-only root filesystem: the sidecar answers a real check from the emulator's
 * catalog, and from fallbacks with no network at all; the persistent cache connects to a real
 * Redis; the operator reconciles and the webhook injects through a real API server as their
 * ServiceAccounts, and their commands print what their jars print.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ApiServerExtension.class)
class ImagesSmokeIT {

  private static final String VERSION = System.getProperty("project.version");
  /** Each image's jar, from which Maven's SBOM of that jar is found beside it. */
  private static final Map<String, String> JARS = Map.of(
      "stigg-sidecar", "sidecar/target/stigg-sidecar.jar",
      "stigg-persistent-cache", "persistent-cache/target/stigg-persistent-cache.jar",
      "stigg-emulator", "emulator/target/stigg-emulator.jar",
      "stigg-sidecar-operator", "operator/target/stigg-operator.jar",
      "stigg-sidecar-webhook", "webhook/target/stigg-webhook.jar");
  private static final List<String> IMAGES = List.copyOf(JARS.keySet());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NON_ROOT = "65532";
  private static final String API_KEY = "smoke-test-key";

  private final Path module = Path.of("").toAbsolutePath();
  private final Path repository = module.getParent();
  private final List<String> containers = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Podman podman;

  @BeforeAll
  void loadArchivesIntoAFreshStorage() throws IOException {
    List<Path> archives = IMAGES.stream().map(this::archive).toList();
    if (!archives.stream().allMatch(Files::isRegularFile)) {
      if (System.getenv("CI") != null) {
        fail("the images were not built; in CI, .ci/run installs buildah, podman and runc and the build must make them");
      }
      Assumptions.abort("no images to test: images/build.sh needs buildah, podman and root (README: Container images)");
    }
    Path storage = module.resolve("target/smoke");
    podman = new Podman(module.resolve("podman.sh"), storage);
    podman.run("rm", "-a", "-f");
    podman.run("rmi", "-a", "-f");
    for (String image : IMAGES) {
      assertThat(podman.ok("load", "-i", archive(image).toString()))
          .as("podman load of %s", archive(image))
          .contains("Loaded image: localhost/" + image + ":" + VERSION);
    }
  }

  @AfterAll
  void removeContainers() {
    if (podman != null && !containers.isEmpty()) {
      podman.removeQuietly(containers.toArray(String[]::new));
    }
  }

  @Test
  void sidecarContainerAnswersARealCheckFromTheEmulatorContainer() throws Exception {
    int apiPort = freePort();
    startEmulator("smoke-emulator", apiPort);
    int grpcPort = freePort();
    int httpPort = freePort();
    start("smoke-sidecar", List.of("--network", "host",
            "-e", "SERVER_API_KEY=" + API_KEY, "-e", "API_URL=http://127.0.0.1:" + apiPort,
            "-e", "EDGE_API_URL=http://127.0.0.1:" + apiPort, "-e", "WS_URL=ws://127.0.0.1:" + apiPort,
            "-e", "PORT=" + grpcPort, "-e", "HTTP_PORT=" + httpPort),
        "stigg-sidecar", List.of());
    podman.awaitLog("smoke-sidecar", "Sidecar is ready");

    String answer = podman.ok("run", "--rm", "--read-only", "--network", "host", image("stigg-sidecar"),
        "client", "check", "--type", "metered", "--customer", "acme", "--feature", "feature-api-calls",
        "--usage", "5", "--target", "127.0.0.1:" + grpcPort);
    assertThat(answer)
        .contains("has_access: true", "usage_limit: 10000", "current_usage: 1200")
        .doesNotContain("is_fallback: true");

    awaitBody("smoke-sidecar", httpPort, "/readyz", "connected");
    assertThat(get(httpPort, "/metrics")).contains("sidecar_cache_misses_total");
    assertRunsAsNonRootOnReadOnlyRoot("smoke-sidecar");
    assertUsesTheNativeTransportInPlace("smoke-sidecar");
    assertRunsAsNonRootOnReadOnlyRoot("smoke-emulator");
  }

  @Test
  void offlineSidecarAnswersFromFallbacksWithNoNetwork() {
    start("smoke-offline", List.of("--network", "none", "-e", "OFFLINE=true",
            "-e", "ENTITLEMENTS_FALLBACK={\"feature-sso\":{\"hasAccess\":true}}"),
        "stigg-sidecar", List.of());
    podman.awaitLog("smoke-offline", "Sidecar is ready");
    assertThat(podman.ok("inspect", "--format", "{{.HostConfig.NetworkMode}}", "smoke-offline").strip()).isEqualTo("none");

    // Only the container's own loopback exists: the check comes from a client inside it.
    String answer = podman.ok("exec", "smoke-offline", "/opt/java/bin/java", "-jar", "/app/stigg-sidecar.jar",
        "client", "check", "--customer", "anyone", "--feature", "feature-sso", "--target", "127.0.0.1:8443");
    assertThat(answer).contains("has_access: true", "is_fallback: true");
    assertRunsAsNonRootOnReadOnlyRoot("smoke-offline");
  }

  @Test
  void persistentCacheContainerKeepsARealRedisFresh() throws Exception {
    int redisPort = freePort();
    RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").build();
    redis.start();
    try {
      int apiPort = freePort();
      startEmulator("smoke-emulator-for-cache", apiPort);
      int httpPort = freePort();
      start("smoke-persistent-cache", List.of("--network", "host",
              "-e", "SERVER_API_KEY=" + API_KEY, "-e", "API_URL=http://127.0.0.1:" + apiPort,
              "-e", "WS_URL=ws://127.0.0.1:" + apiPort, "-e", "REDIS_HOST=127.0.0.1",
              "-e", "REDIS_PORT=" + redisPort, "-e", "REDIS_ENVIRONMENT_PREFIX=smoke", "-e", "HTTP_PORT=" + httpPort),
          "stigg-persistent-cache", List.of());
      podman.awaitLog("smoke-persistent-cache", "Persistent cache is ready");
      awaitBody("smoke-persistent-cache", httpPort, "/readyz", "\"redis\":\"connected\"");
      assertRunsAsNonRootOnReadOnlyRoot("smoke-persistent-cache");
    } finally {
      redis.stop();
    }
  }

  @Test
  void operatorContainerRendersTheExampleAsItsJarDoes() {
    List<String> command = List.of("render", "-f", "/examples/stiggsidecar.yaml");
    String rendered = runCommand("stigg-sidecar-operator", command);
    assertThat(rendered).contains("kind: \"ConfigMap\"", "kind: \"Deployment\"");
    assertThat(rendered).isEqualTo(runJar("operator/target/stigg-operator.jar", command));
  }

  @Test
  void webhookContainerInjectsTheExampleAsItsJarDoes() {
    List<String> command = List.of("inject", "-f", "/examples/annotated-deployment.yaml", "-c", "/examples/stiggsidecar.yaml");
    String injected = runCommand("stigg-sidecar-webhook", command);
    assertThat(injected).contains("name: \"stigg-sidecar\"", "sidecar.stigg.io/status");
    assertThat(injected).isEqualTo(runJar("webhook/target/stigg-webhook.jar", command));
  }

  @Test
  void operatorAndWebhookContainersWorkThroughARealApiServerAsTheirServiceAccounts(ApiServer server) throws Exception {
    KubernetesClient admin = server.admin();
    Installation.render().applyFoundations(server);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .serverSideApply();
    admin.secrets().inNamespace("shop").resource(new SecretBuilder()
        .withNewMetadata().withName("stigg-api-key").endMetadata()
        .addToStringData("SERVER_API_KEY", API_KEY).build()).serverSideApply();
    try (InputStream example = Files.newInputStream(repository.resolve("manifests/examples/stiggsidecar.yaml"))) {
      admin.load(example).inNamespace("shop").serverSideApply();
    }
    String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getConfiguration().getCaCertFile())));
    // Configured as in a pod, by environment alone: the API server, its CA, a ServiceAccount token.
    java.util.function.Function<String, List<String>> as = serviceAccount -> List.of("--network", "host",
        "-e", "KUBERNETES_MASTER=" + admin.getConfiguration().getMasterUrl(), "-e", "KUBERNETES_CERTS_CA_DATA=" + ca,
        "-e", "KUBERNETES_AUTH_TOKEN=" + server.token(Installation.NAMESPACE, serviceAccount),
        "-e", "KUBERNETES_AUTH_TRYKUBECONFIG=false", "-e", "KUBERNETES_AUTH_TRYSERVICEACCOUNT=false");

    int operatorHttp = freePort();
    start("smoke-operator", concat(as.apply(Installation.OPERATOR), "-e", "HTTP_PORT=" + operatorHttp),
        "stigg-sidecar-operator", List.of());
    awaitFrom("smoke-operator", () -> assertThat(status(operatorHttp, "/readyz")).isEqualTo(200));
    awaitFrom("smoke-operator", () -> {
      ConfigMap config = admin.configMaps().inNamespace("shop").withName("default-sidecar-env").get();
      assertThat(config).as("the ConfigMap the operator container creates").isNotNull();
      assertThat(config.getData()).containsKey("ENTITLEMENTS_FALLBACK");
    });
    assertRunsAsNonRootOnReadOnlyRoot("smoke-operator");

    int webhookHttps = freePort();
    int webhookHttp = freePort();
    start("smoke-webhook", concat(as.apply(Installation.WEBHOOK), "-e", "POD_NAMESPACE=" + Installation.NAMESPACE,
        "-e", "PORT=" + webhookHttps, "-e", "HTTP_PORT=" + webhookHttp), "stigg-sidecar-webhook", List.of());
    awaitFrom("smoke-webhook", () -> assertThat(status(webhookHttp, "/readyz")).isEqualTo(200));
    Secret tls = admin.secrets().inNamespace(Installation.NAMESPACE).withName("stigg-sidecar-webhook-tls").get();
    assertThat(tls).as("the certificate Secret the webhook container issues").isNotNull();
    String patch = admit(webhookHttps, tls.getData().get("ca.crt"));
    assertThat(patch).contains("stigg-sidecar", "default-sidecar-env", "stigg-api-key");
    assertRunsAsNonRootOnReadOnlyRoot("smoke-webhook");
    assertThat(podman.logs("smoke-operator") + podman.logs("smoke-webhook")).doesNotContainIgnoringCase("forbidden");
  }

  /** Sends an annotated pod to the webhook over HTTPS, trusting only its CA; returns the JSON Patch. */
  private static String admit(int port, String caBase64) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("webhook-ca", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(caBase64))));
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/mutate").toURL()
        .openConnection();
    connection.setSSLSocketFactory(tls.getSocketFactory());
    // The certificate names the Service, which does not resolve here; trust is checked, the name is not.
    connection.setHostnameVerifier((host, session) -> true);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.getOutputStream().write("""
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",
         "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"shop",
         "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"checkout-1","namespace":"shop",
           "annotations":{"sidecar.stigg.io/inject":"true"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}}}
        """.getBytes(StandardCharsets.UTF_8));
    assertThat(connection.getResponseCode()).isEqualTo(200);
    String answer = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher patch = Pattern.compile("\"patch\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
    assertThat(patch.find()).as("a patch in %s", answer).isTrue();
    return new String(Base64.getDecoder().decode(patch.group(1)), StandardCharsets.UTF_8);
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void everyImageRunsAsTheNonRootUserWithoutAShell() {
    for (String image : IMAGES) {
      assertThat(podman.ok("image", "inspect", "--format", "{{.Config.User}}", image(image)).strip())
          .as("user of %s", image).isEqualTo(NON_ROOT + ":" + NON_ROOT);
      Command shell = podman.run("run", "--rm", "--read-only", "--network", "none", "--entrypoint", "/bin/sh",
          image(image), "-c", "true");
      assertThat(shell.exitCode()).as("a shell in %s", image).isNotZero();
    }
  }

  /**
   * Each image carries its SBOM where its label says: the image as the subject, every component of
   * the SBOM Maven made for the jar inside it, and what the image adds around the jar (the Java
   * runtime and the Debian packages of the libraries copied in).
   */
  @Test
  void everyImageCarriesItsSbom() throws IOException {
    Path copies = Files.createTempDirectory(module.resolve("target"), "sbom");
    for (Map.Entry<String, String> image : JARS.entrySet()) {
      String name = image.getKey();
      String path = podman.ok("image", "inspect", "--format", "{{index .Config.Labels \"dev.stiggsidecar.sbom\"}}",
          image(name)).strip();
      assertThat(path).as("SBOM label of %s", name).isEqualTo("/app/sbom.cdx.json");
      String container = podman.ok("create", image(name)).strip();
      Path copy = copies.resolve(name + ".cdx.json");
      try {
        podman.ok("cp", container + ":" + path, copy.toString());
      } finally {
        podman.removeQuietly(container);
      }
      JsonNode sbom = JSON.readTree(copy.toFile());
      JsonNode jarSbom = JSON.readTree(repository.resolve(image.getValue().replace(".jar", ".cdx.json")).toFile());

      assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
      assertThat(sbom.at("/metadata/component/type").asText()).as("subject of %s", name).isEqualTo("container");
      assertThat(sbom.at("/metadata/component/name").asText()).isEqualTo(name);
      List<String> components = sbom.findValuesAsText("bom-ref");
      assertThat(components).as("components of %s", name)
          .contains(jarSbom.at("/metadata/component/bom-ref").asText())
          .containsAll(jarSbom.path("components").findValuesAsText("bom-ref"))
          .anyMatch(ref -> ref.startsWith("java-runtime@"))
          .anyMatch(ref -> ref.startsWith("pkg:deb/debian/libc6@"));
    }
    assertThat(JSON.readTree(copies.resolve("stigg-sidecar.cdx.json").toFile()).findValuesAsText("name"))
        .as("the sidecar's SBOM names what its jar bundles").contains("grpc-netty", "lettuce-core", "caffeine");
  }

  private void startEmulator(String name, int port) {
    start(name, List.of("--network", "host"), "stigg-emulator",
        List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--api-key", API_KEY));
    podman.awaitLog(name, "Stigg emulator is ready");
  }

  /** Starts a detached container on a read-only root filesystem; it is removed after the class. */
  private void start(String name, List<String> options, String image, List<String> args) {
    podman.removeQuietly(name);
    containers.add(name);
    List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name, "--read-only"));
    command.addAll(options);
    command.add(image(image));
    command.addAll(args);
    podman.ok(command.toArray(String[]::new));
  }

  /** Runs one of the image's commands on the repository's manifests/examples, with no network. */
  private String runCommand(String image, List<String> command) {
    List<String> args = new ArrayList<>(List.of("run", "--rm", "--read-only", "--network", "none",
        "-v", repository.resolve("manifests/examples") + ":/examples:ro", image(image)));
    args.addAll(command);
    return podman.ok(args.toArray(String[]::new));
  }

  /** The same command through the jar on this host, with the examples at the same path. */
  private String runJar(String jar, List<String> command) {
    List<String> words = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", repository.resolve(jar).toString()));
    command.forEach(word -> words.add(word.replace("/examples/", repository.resolve("manifests/examples") + "/")));
    return Command.run(words, Map.of()).requireSuccess().stdout();
  }

  /**
   * Netty's native epoll transport loaded from the image's {@code /app/native}: the system
   * libraries it links are in the image, and it was not copied to {@code /tmp} first.
   */
  private void assertUsesTheNativeTransportInPlace(String container) {
    assertThat(podman.logs(container)).doesNotContain("native epoll transport did not load");
    try (Stream<String> maps = Files.lines(Path.of("/proc", String.valueOf(podman.pid(container)), "maps"))) {
      assertThat(maps.filter(line -> line.contains("netty_transport_native_epoll")).toList())
          .as("where the epoll library of %s is mapped from", container)
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).contains("/app/native/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The container's main process runs as 65532 and its root filesystem is mounted read-only. */
  private void assertRunsAsNonRootOnReadOnlyRoot(String container) {
    assertThat(podman.ok("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", container).strip())
        .as("read-only root of %s", container).isEqualTo("true");
    try (Stream<String> status = Files.lines(Path.of("/proc", String.valueOf(podman.pid(container)), "status"))) {
      assertThat(status.filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+"))
          .as("user ids (real, effective, saved, fs) of %s", container)
          .containsExactly("Uid:", NON_ROOT, NON_ROOT, NON_ROOT, NON_ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitBody(String container, int port, String path, String text) {
    awaitFrom(container, () -> assertThat(get(port, path)).contains(text));
  }

  /** Waits up to a minute for the assertion to hold; if it never does, the failure shows the container's output. */
  private void awaitFrom(String container, ThrowingRunnable assertion) {
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(assertion);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + container + " printed:\n" + podman.logs(container), e);
    }
  }

  private int status(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return response.body();
  }

  private Path archive(String image) {
    return module.resolve("target/oci/" + image + "-" + VERSION + ".oci.tar");
  }

  private static String image(String name) {
    return "localhost/" + name + ":" + VERSION;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
