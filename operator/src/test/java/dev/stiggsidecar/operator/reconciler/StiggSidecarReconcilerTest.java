package dev.stiggsidecar.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.operator.StiggSidecarOperator;
import dev.stiggsidecar.operator.model.CacheSpec;
import dev.stiggsidecar.operator.model.FallbackEntitlement;
import dev.stiggsidecar.operator.model.InjectionSpec;
import dev.stiggsidecar.operator.model.ManagedRedisSpec;
import dev.stiggsidecar.operator.model.OperatorDefaults;
import dev.stiggsidecar.operator.model.PersistentCacheSpec;
import dev.stiggsidecar.operator.model.RedisCacheSpec;
import dev.stiggsidecar.operator.model.SecretKeyRef;
import dev.stiggsidecar.operator.model.StandaloneSpec;
import dev.stiggsidecar.operator.model.StiggSidecar;
import dev.stiggsidecar.operator.model.StiggSidecarSpec;
import dev.stiggsidecar.operator.model.StiggSidecarStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped operator configuration against the fabric8 mock API server in CRUD mode: owned
 * objects appear, change and disappear with the spec, and the status tells the truth at each step.
 * The mock runs no controllers, so the test plays the Deployment controller by writing readiness.
 */
class StiggSidecarReconcilerTest {

  private static final String NS = "shop";
  private static final String NAME = "default";
  private static final OperatorDefaults DEFAULTS =
      new OperatorDefaults("stigg-sidecar:test", "stigg-persistent-cache:test", "redis:test");

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Operator operator;

  @BeforeEach
  void start() throws IOException {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
    try (InputStream crd = new FileInputStream(Path.of(System.getProperty("checked.in.crd")).toFile())) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    operator = StiggSidecarOperator.create(client, DEFAULTS, new SimpleMeterRegistry(), Optional.empty(),
        Clock.systemUTC());
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
    client.close();
    server.destroy();
  }

  @Test
  void missingApiKeySecretIsReportedWithWhatToCreate() {
    create(spec(null, null, null, Map.of()));

    StiggSidecarStatus status = awaitStatus(s -> s.conditions() != null);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ApiKeySecretMissing");
    assertThat(condition(status, "Ready").getMessage())
        .contains("Secret stigg-api-key not found in namespace shop")
        .contains("kubectl -n shop create secret generic stigg-api-key --from-literal=SERVER_API_KEY=");
    assertThat(status.observedGeneration()).isEqualTo(current().getMetadata().getGeneration());

    createApiKeySecret();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(condition(current().getStatus(), "Ready").getStatus()).isEqualTo("True"));
  }

  @Test
  void createUpdateAndDeleteDriveOwnedObjectsAndStatus() {
    createApiKeySecret();
    create(spec(null, null, null, Map.of("premium", new FallbackEntitlement(true, null, 100L, null, null))));

    StiggSidecarStatus first = awaitStatus(s -> s.conditions() != null && isTrue(s, "Ready"));
    ConfigMap config = client.configMaps().inNamespace(NS).withName("default-sidecar-env").get();
    assertThat(config.getData()).containsEntry("ENTITLEMENTS_FALLBACK", "{\"premium\":{\"hasAccess\":true,\"usageLimit\":100}}")
        .doesNotContainKey("REDIS_ENVIRONMENT_PREFIX");
    assertThat(config.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("StiggSidecar"));
    assertThat(first.configHash()).isEqualTo(config.getMetadata().getAnnotations().get(InjectionKeys.CONFIG_HASH));
    assertThat(first.cache()).isEqualTo("memory");
    assertThat(first.observedGeneration()).isEqualTo(1L);
    assertThat(condition(first, "RedisReady").getReason()).isEqualTo("NotRequired");
    assertThat(deployment("default-redis")).isNull();

    // Memory -> managed Redis with the persistent cache: Redis first, the persistent cache once Redis is ready.
    update(s -> spec(new CacheSpec(null, new RedisCacheSpec(new ManagedRedisSpec(null, null), null, "prod", null)),
        new PersistentCacheSpec(true, null, null, null), null, s.fallbackEntitlements()));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") != null);
    assertThat(client.services().inNamespace(NS).withName("default-redis").get()).isNotNull();
    StiggSidecarStatus waiting = awaitStatus(s -> s.observedGeneration() == 2L
        && "WaitingForRedis".equals(condition(s, "PersistentCacheReady").getReason()));
    assertThat(condition(waiting, "Ready").getStatus()).isEqualTo("False");
    assertThat(waiting.configHash()).isNotEqualTo(first.configHash());
    assertThat(deployment("default-persistent-cache")).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("default-sidecar-env").get().getData())
        .containsEntry("REDIS_ENVIRONMENT_PREFIX", "prod").containsEntry("REDIS_HOST", "default-redis");

    markReady("default-redis", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-persistent-cache") != null);
    markReady("default-persistent-cache", 1);
    StiggSidecarStatus redisReady = awaitStatus(s -> isTrue(s, "Ready"));
    assertThat(redisReady.cache()).isEqualTo("redis-managed");
    assertThat(condition(redisReady, "PersistentCacheReady").getStatus()).isEqualTo("True");

    // Standalone on, persistent cache off.
    update(s -> spec(s.cache(), new PersistentCacheSpec(false, null, null, null), new StandaloneSpec(true, 3),
        s.fallbackEntitlements()));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-sidecar") != null
        && deployment("default-persistent-cache") == null);
    assertThat(deployment("default-sidecar").getSpec().getReplicas()).isEqualTo(3);
    assertThat(client.services().inNamespace(NS).withName("default-sidecar").get()).isNotNull();
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("default-sidecar").get()).isNotNull();
    StiggSidecarStatus standaloneStarting = awaitStatus(s -> s.observedGeneration() == 3L);
    assertThat(condition(standaloneStarting, "StandaloneReady").getStatus()).isEqualTo("False");
    markReady("default-sidecar", 3);
    awaitStatus(s -> isTrue(s, "Ready") && isTrue(s, "StandaloneReady"));

    // Back to memory, standalone off, fallback changed: Redis and standalone objects go, the hash moves.
    String hashBefore = current().getStatus().configHash();
    update(s -> spec(null, null, new StandaloneSpec(false, null),
        Map.of("premium", new FallbackEntitlement(false, null, null, null, null))));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") == null
        && deployment("default-sidecar") == null
        && client.services().inNamespace(NS).withName("default-redis").get() == null
        && client.services().inNamespace(NS).withName("default-sidecar").get() == null
        && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("default-sidecar").get() == null);
    StiggSidecarStatus back = awaitStatus(s -> s.observedGeneration() == 4L && isTrue(s, "Ready"));
    assertThat(back.configHash()).isNotEqualTo(hashBefore);
    assertThat(back.cache()).isEqualTo("memory");

    // Delete: everything owned goes with it.
    client.resources(StiggSidecar.class).inNamespace(NS).withName(NAME).delete();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.configMaps().inNamespace(NS).withName("default-sidecar-env").get() == null
            && client.resources(StiggSidecar.class).inNamespace(NS).withName(NAME).get() == null);
  }

  @Test
  void countsInjectedPodsByConfigHash() {
    createApiKeySecret();
    create(spec(null, null, null, Map.of()));
    String hash = awaitStatus(s -> isTrue(s, "Ready")).configHash();
    injectedPod("current-1", hash);
    injectedPod("current-2", hash);
    injectedPod("old-1", "0000000000000000");

    // Pods are not watched; a spec change (or the periodic resync) refreshes the counts.
    update(s -> spec(null, null, null, Map.of("a", new FallbackEntitlement(true, null, null, null, null))));
    StiggSidecarStatus status = awaitStatus(s -> s.observedGeneration() == 2L && s.injectedPods() != null);
    assertThat(status.injectedPods().total()).isEqualTo(3);
    assertThat(status.injectedPods().upToDate()).isZero();
    assertThat(status.injectedPods().outdated()).isEqualTo(3);
  }

  @Test
  void restartRolloutRestartsWorkloadsOfOutdatedPodsAndSaysSo() {
    createApiKeySecret();
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("checkout")
        .endMetadata().withNewSpec().withNewTemplate().withNewMetadata().endMetadata().endTemplate().endSpec().build())
        .create();
    client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata().withName("checkout-1")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("checkout").withUid("u")
        .withController(true).endOwnerReference().endMetadata().build()).create();
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("checkout-1-x").withNamespace(NS)
        .addToLabels(InjectionKeys.INJECTED_BY, NAME).addToAnnotations(InjectionKeys.CONFIG_HASH, "0000000000000000")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("checkout-1").withUid("r")
        .withController(true).endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec().build()).create();

    StiggSidecarSpec spec = spec(null, null, null, Map.of());
    create(new StiggSidecarSpec(null, null, spec.apiKeySecretRef(), null, null, null, null, null, null, null, null,
        Map.of(), null, null, null, new InjectionSpec(null, null, null, InjectionSpec.RolloutPolicy.Restart)));

    StiggSidecarStatus status = awaitStatus(s -> s.lastRolloutTime() != null);
    assertThat(status.injectedPods().outdated()).isEqualTo(1);
    assertThat(deployment("checkout").getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("sidecar.stigg.io/restarted-for-config-hash", status.configHash())
        .containsKey("kubectl.kubernetes.io/restartedAt");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(event -> {
          assertThat(event.getReason()).isEqualTo("RolloutRestart");
          assertThat(event.getMessage()).contains("Deployment/checkout", status.configHash());
        });
  }

  @Test
  void invalidSpecTouchesNothingAndSaysWhy() {
    createApiKeySecret();
    create(spec(null, new PersistentCacheSpec(true, null, null, null), null, Map.of()));

    StiggSidecarStatus status = awaitStatus(s -> s.conditions() != null);
    assertThat(condition(status, "ConfigReady").getReason()).isEqualTo("InvalidSpec");
    assertThat(condition(status, "Ready").getMessage()).contains("spec.persistentCache.enabled: needs spec.cache.redis");
    assertThat(client.configMaps().inNamespace(NS).withName("default-sidecar-env").get()).isNull();
  }

  private static StiggSidecarSpec spec(CacheSpec cache, PersistentCacheSpec persistentCache, StandaloneSpec standalone,
      Map<String, FallbackEntitlement> fallbacks) {
    return new StiggSidecarSpec(null, null, new SecretKeyRef("stigg-api-key", "SERVER_API_KEY"), null, null, null,
        null, null, null, null, null, fallbacks, cache, persistentCache, standalone, null);
  }

  private void create(StiggSidecarSpec spec) {
    StiggSidecar resource = new StiggSidecar();
    resource.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NS).build());
    resource.setSpec(spec);
    client.resource(resource).create();
  }

  /** Replaces the spec and bumps the generation, as the API server would. */
  private void update(UnaryOperator<StiggSidecarSpec> change) {
    retryOnConflict(() -> client.resources(StiggSidecar.class).inNamespace(NS).withName(NAME).edit(resource -> {
      resource.setSpec(change.apply(resource.getSpec()));
      return resource;
    }));
  }

  /**
   * An edit carries the resourceVersion it read, so when the operator writes the same object in
   * between, the API server answers 409 Conflict; like kubectl, read again and retry.
   */
  private static void retryOnConflict(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private StiggSidecar current() {
    return client.resources(StiggSidecar.class).inNamespace(NS).withName(NAME).get();
  }

  private StiggSidecarStatus awaitStatus(java.util.function.Predicate<StiggSidecarStatus> until) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(current().getStatus()).matches(s -> s != null && until.test(s)));
    return current().getStatus();
  }

  private static Condition condition(StiggSidecarStatus status, String type) {
    return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static boolean isTrue(StiggSidecarStatus status, String type) {
    return status.conditions() != null && status.conditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private void markReady(String name, int replicas) {
    retryOnConflict(() -> client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReadyReplicas(replicas).withReplicas(replicas).build());
      return d;
    }));
  }

  private void createApiKeySecret() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("stigg-api-key")
        .withNamespace(NS).endMetadata().addToData("SERVER_API_KEY", "c2VydmVyLWtleQ==").build()).create();
  }

  private void injectedPod(String name, String hash) {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .addToLabels(InjectionKeys.INJECTED_BY, NAME).addToAnnotations(InjectionKeys.CONFIG_HASH, hash)
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec()
        .build()).create();
  }
}
