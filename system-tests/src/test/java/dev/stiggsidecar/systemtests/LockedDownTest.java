package dev.stiggsidecar.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.JarProcess;
import dev.stiggsidecar.kubetest.Running;
import dev.stiggsidecar.kubetest.StandInControllers;
import dev.stiggsidecar.kubetest.Tenant;
import dev.stiggsidecar.redistest.RedisProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementResponse;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code StiggSidecar} with the managed Redis, the persistent cache and standalone sidecars, set
 * up by the operator and webhook jars on a real API server, then run for real: Redis started with
 * the arguments the operator rendered, the sidecar and the persistent cache as processes with the
 * environment their containers get (Secrets resolved as the kubelet resolves them). It shows that
 * the NetworkPolicies select exactly the pods that use Redis and the standalone sidecars, that the
 * generated password is what keeps others out of Redis, and that neither the API key nor the Redis
 * password appears in any log line, metric, status, ConfigMap, event or pod.
 */
@ExtendWith(ApiServerExtension.class)
class LockedDownTest {

  /** Distinctive, so that a leak cannot hide behind a common word. */
  private static final String API_KEY = "server-key-7f3a9c1e5b2d8f40";

  private final Running running = new Running();
  private final Map<String, JarProcess> processes = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  @Test
  void redisAndStandaloneAreFencedAndNeitherSecretLeaks(ApiServer server) throws Exception {
    KubernetesClient admin = server.admin();
    Installation installation = Installation.render().applyFoundations(server);
    int webhookPort = JarProcess.freePort();
    installation.applyWebhookConfigurationCalling(server, webhookPort);
    StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests(API_KEY));
    running.add(emulator);
    String ns = server.createNamespace("locked");
    String frontend = server.createNamespace("frontend");
    admin.namespaces().withName(frontend).edit(n -> {
      n.getMetadata().getLabels().put("team", "frontend");
      return n;
    });
    String elsewhere = server.createNamespace("elsewhere");
    Tenant.configure(server, ns, API_KEY, """
        apiUrl: %s
        edge: {url: %s}
        logLevel: debug
        cache: {redis: {managed: {}, keyPrefix: locked}}
        persistentCache: {enabled: true}
        standalone:
          enabled: true
          replicas: 1
          allowedClients: [{namespaceSelector: {matchLabels: {team: frontend}}}]
        """.formatted(emulator.baseUri(), emulator.baseUri()));

    int operatorHttp = JarProcess.freePort();
    start("operator", "operator.jar", List.of("run"), Map.of(
        "KUBECONFIG", server.kubeconfigAs(Installation.NAMESPACE, Installation.OPERATOR).toString(),
        "HOSTNAME", "operator-0", "HTTP_PORT", Integer.toString(operatorHttp), "LOG_LEVEL", "debug"));
    int webhookHttp = JarProcess.freePort();
    start("webhook", "webhook.jar", List.of("serve"), Map.of(
        "KUBECONFIG", server.kubeconfigAs(Installation.NAMESPACE, Installation.WEBHOOK).toString(),
        "POD_NAMESPACE", Installation.NAMESPACE, "PORT", Integer.toString(webhookPort),
        "HTTP_PORT", Integer.toString(webhookHttp), "LOG_LEVEL", "debug",
        "TLS_DIRECTORY", Files.createTempDirectory(Path.of("target"), "tls").toAbsolutePath().toString(),
        "TLS_EXTRA_HOSTS", "127.0.0.1"));

    // The operator's Deployments and an injected application, their pods created through the API
    // server (and the webhook) as the Deployment controller would.
    await().atMost(Duration.ofSeconds(60)).until(() -> deploymentExists(admin, ns, "default-redis")
        && deploymentExists(admin, ns, "default-sidecar"));
    List<Pod> redisPods = StandInControllers.rollOut(admin, ns, "default-redis", 1);
    admin.apps().deployments().inNamespace(ns).withName("default-redis").editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).build());
      return d;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> deploymentExists(admin, ns, "default-persistent-cache"));
    List<Pod> cachePods = StandInControllers.rollOut(admin, ns, "default-persistent-cache", 1);
    List<Pod> standalonePods = StandInControllers.rollOut(admin, ns, "default-sidecar", 1);
    admin.apps().deployments().inNamespace(ns).resource(StandInControllers.deployment(ns, "checkout",
        Map.of(InjectionKeys.INJECT, "true"))).create();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> injected(admin.pods()
        .inNamespace(ns).resource(probe()).dryRun().create()));
    List<Pod> appPods = StandInControllers.rollOut(admin, ns, "checkout", 1);
    assertThat(injected(appPods.get(0))).isTrue();
    Pod intruder = admin.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("intruder")
        .addToLabels("app", "intruder").endMetadata().withNewSpec().addNewContainer().withName("x").withImage("x:1")
        .endContainer().endSpec().build()).create();

    // Redis: selected pods, and who may connect, evaluated by the API server's own label selectors.
    NetworkPolicy redisPolicy = admin.network().v1().networkPolicies().inNamespace(ns).withName("default-redis").get();
    assertThat(podsSelectedBy(admin, ns, redisPolicy.getSpec().getPodSelector())).isEqualTo(names(redisPods));
    Set<String> redisClients = new TreeSet<>();
    for (NetworkPolicyPeer peer : redisPolicy.getSpec().getIngress().get(0).getFrom()) {
      assertThat(peer.getNamespaceSelector()).as("no other namespace").isNull();
      redisClients.addAll(podsSelectedBy(admin, ns, peer.getPodSelector()));
    }
    assertThat(redisClients).isEqualTo(names(appPods, cachePods, standalonePods))
        .doesNotContain(intruder.getMetadata().getName());

    // Standalone: this namespace's pods, and the frontend namespace's, on the gRPC port.
    NetworkPolicy standalonePolicy = admin.network().v1().networkPolicies().inNamespace(ns).withName("default-sidecar")
        .get();
    assertThat(podsSelectedBy(admin, ns, standalonePolicy.getSpec().getPodSelector())).isEqualTo(names(standalonePods));
    List<NetworkPolicyPeer> callers = standalonePolicy.getSpec().getIngress().get(0).getFrom();
    assertThat(callers.get(0).getNamespaceSelector()).isNull();
    assertThat(podsSelectedBy(admin, ns, callers.get(0).getPodSelector())).contains(intruder.getMetadata().getName());
    assertThat(admin.namespaces().withLabelSelector(callers.get(1).getNamespaceSelector()).list().getItems())
        .extracting(n -> n.getMetadata().getName()).contains(frontend).doesNotContain(ns, elsewhere);

    // Run them: Redis with the rendered arguments, the sidecar and the persistent cache with their
    // containers' environment. Only a client with the password gets in.
    String password = secretValue(admin, ns, "default-redis-auth", "password");
    Container redisContainer = redisPods.get(0).getSpec().getContainers().get(0);
    RedisProcess redis = RedisProcess.start(redisContainer.getArgs().stream()
        .map(arg -> arg.replace("$(REDISCLI_AUTH)", password)).toList());
    running.add(redis);
    assertThatRedisRefuses(redis.port(), null);
    assertThatRedisRefuses(redis.port(), "guess");

    int sidecarGrpc = JarProcess.freePort();
    int sidecarHttp = JarProcess.freePort();
    Map<String, String> sidecarEnv = environment(admin, ns, sidecarContainer(appPods.get(0)), redis.port());
    sidecarEnv.putAll(Map.of("PORT", Integer.toString(sidecarGrpc), "HTTP_PORT", Integer.toString(sidecarHttp)));
    JarProcess sidecar = start("sidecar", "sidecar.jar", List.of(), sidecarEnv);
    int cacheHttp = JarProcess.freePort();
    Map<String, String> cacheEnv = environment(admin, ns, cachePods.get(0).getSpec().getContainers().get(0),
        redis.port());
    cacheEnv.put("HTTP_PORT", Integer.toString(cacheHttp));
    start("persistent-cache", "persistent-cache.jar", List.of(), cacheEnv);
    await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.output().contains("Sidecar is ready"));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(cacheHttp, "/readyz").statusCode() == 200);

    GetNumericEntitlementResponse seats = seats(sidecarGrpc);
    assertThat(seats.getIsFallback()).isFalse();
    assertThat(seats.getEntitlement().getValue()).isEqualTo(25);
    try (RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
        .withPassword(password.toCharArray()).build());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().get("locked:c_acme")).as("written by the sidecar with the password").isNotNull();
    }
    assertThat(get(sidecarHttp, "/readyz").body()).contains("\"redis\":\"connected\"");

    // Neither secret, nor its base64 form, anywhere a user or a scraper can read.
    Map<String, String> surfaces = new LinkedHashMap<>();
    processes.forEach((name, process) -> surfaces.put(name + " log", process.output()));
    surfaces.put("sidecar /metrics", get(sidecarHttp, "/metrics").body());
    surfaces.put("sidecar /readyz", get(sidecarHttp, "/readyz").body());
    surfaces.put("persistent cache /metrics", get(cacheHttp, "/metrics").body());
    surfaces.put("operator /metrics", get(operatorHttp, "/metrics").body());
    surfaces.put("webhook /metrics", get(webhookHttp, "/metrics").body());
    surfaces.put("StiggSidecar", Serialization.asYaml(admin.resources(StiggSidecar.class).inNamespace(ns)
        .withName("default").get()));
    surfaces.put("ConfigMaps", yaml(admin.configMaps().inNamespace(ns).list().getItems()));
    surfaces.put("Events", yaml(admin.v1().events().inNamespace(ns).list().getItems()));
    surfaces.put("Pods", yaml(admin.pods().inNamespace(ns).list().getItems()));
    surfaces.put("Deployments", yaml(admin.apps().deployments().inNamespace(ns).list().getItems()));
    surfaces.put("NetworkPolicies", yaml(admin.network().v1().networkPolicies().inNamespace(ns).list().getItems()));
    assertThat(surfaces.get("sidecar log")).as("the sidecar did log at debug").contains("\"level\":\"DEBUG\"");
    for (String secret : List.of(API_KEY, password)) {
      String encoded = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
      surfaces.forEach((surface, text) -> assertThat(text).as(surface).doesNotContain(secret).doesNotContain(encoded));
    }
  }

  private JarProcess start(String name, String jarProperty, List<String> args, Map<String, String> env) {
    JarProcess process = running.jar(name, jarProperty, args, env);
    processes.put(name, process);
    return process;
  }

  /**
   * A container's environment as the kubelet gives it: the ConfigMap of {@code envFrom}, then
   * {@code env}, Secrets resolved. Redis is reached on loopback instead of through its Service.
   */
  private static Map<String, String> environment(KubernetesClient admin, String ns, Container container, int redisPort) {
    Map<String, String> env = new HashMap<>();
    container.getEnvFrom().forEach(source -> env.putAll(admin.configMaps().inNamespace(ns)
        .withName(source.getConfigMapRef().getName()).get().getData()));
    for (EnvVar variable : container.getEnv()) {
      env.put(variable.getName(), variable.getValueFrom() == null ? variable.getValue()
          : secretValue(admin, ns, variable.getValueFrom().getSecretKeyRef().getName(),
              variable.getValueFrom().getSecretKeyRef().getKey()));
    }
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(redisPort));
    env.put("HTTP_BIND_ADDRESS", "127.0.0.1");
    return env;
  }

  private static String secretValue(KubernetesClient admin, String ns, String name, String key) {
    return new String(Base64.getDecoder().decode(admin.secrets().inNamespace(ns).withName(name).get().getData()
        .get(key)), StandardCharsets.UTF_8);
  }

  private static void assertThatRedisRefuses(int port, String password) {
    RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(port);
    if (password != null) {
      uri.withPassword(password.toCharArray());
    }
    try (RedisClient client = RedisClient.create(uri.build())) {
      Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
          connection.sync().set("locked:c_acme", "{\"everything\":\"granted\"}");
        }
      });
      assertThat(refused).as("a client with password " + password).isNotNull();
      assertThat(Stream.iterate(refused, t -> t != null, Throwable::getCause).map(Throwable::getMessage)
          .collect(Collectors.joining(" | "))).containsAnyOf("NOAUTH", "WRONGPASS");
      assertThat(Stream.iterate(refused, t -> t != null, Throwable::getCause)
          .anyMatch(t -> t instanceof RedisCommandExecutionException)).isTrue();
    }
  }

  private static Container sidecarContainer(Pod pod) {
    return Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .filter(container -> container.getName().equals(InjectionKeys.CONTAINER_NAME)).findFirst().orElseThrow();
  }

  private static GetNumericEntitlementResponse seats(int port) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return SidecarServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .getNumericEntitlement(GetNumericEntitlementRequest.newBuilder().setCustomerId("acme")
              .setFeatureId("feature-seats").build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean deploymentExists(KubernetesClient admin, String ns, String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get() != null;
  }

  private static Set<String> podsSelectedBy(KubernetesClient admin, String ns, LabelSelector selector) {
    return admin.pods().inNamespace(ns).withLabelSelector(selector).list().getItems().stream()
        .map(pod -> pod.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  @SafeVarargs
  private static Set<String> names(List<Pod>... groups) {
    return Stream.of(groups).flatMap(List::stream).map(pod -> pod.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean injected(Pod pod) {
    return pod.getMetadata().getLabels() != null
        && "default".equals(pod.getMetadata().getLabels().get(InjectionKeys.INJECTED_BY));
  }

  private static Pod probe() {
    return new PodBuilder().withNewMetadata().withName("probe").addToAnnotations(InjectionKeys.INJECT, "true")
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
        .build();
  }

  private static String yaml(List<? extends HasMetadata> objects) {
    return objects.stream().map(Serialization::asYaml).collect(Collectors.joining());
  }
}
