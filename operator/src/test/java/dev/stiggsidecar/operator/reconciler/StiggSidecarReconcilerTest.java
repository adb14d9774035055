package dev.stiggsidecar.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.RejectionLog;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.kubetest.StandInControllers;
import dev.stiggsidecar.operator.StiggSidecarOperator;
import dev.stiggsidecar.api.model.CacheSpec;
import dev.stiggsidecar.api.model.ExternalRedisSpec;
import dev.stiggsidecar.api.model.FallbackEntitlement;
import dev.stiggsidecar.api.model.InjectionSpec;
import dev.stiggsidecar.api.model.ManagedRedisSpec;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.PersistentCacheSpec;
import dev.stiggsidecar.api.model.RedisCacheSpec;
import dev.stiggsidecar.api.model.SecretKeyRef;
import dev.stiggsidecar.api.model.StandaloneSpec;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarSpec;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped operator on a real API server, authenticated as its own ServiceAccount with the RBAC
 * of {@code manifests/}: owned objects appear, change and disappear with the spec, the status tells
 * the truth at each step, no request is forbidden and no write meets a conflict. There are no controllers, so the test
 * writes Deployment readiness and plays the Deployment controller itself.
 */
@ExtendWith(ApiServerExtension.class)
class StiggSidecarReconcilerTest {

  private static final Logger log = LoggerFactory.getLogger(StiggSidecarReconcilerTest.class);
  private static final String NAME = "default";
  private static final OperatorDefaults DEFAULTS =
      new OperatorDefaults("stigg-sidecar:test", "stigg-persistent-cache:test", "redis:test");

  private final RejectionLog rejections = new RejectionLog();
  private KubernetesClient admin;
  private KubernetesClient operatorClient;
  private Operator operator;
  private String ns;

  @BeforeAll
  static void install(ApiServer server) {
    Installation.render().applyFoundations(server);
  }

  @BeforeEach
  void start(ApiServer server) {
    admin = server.admin();
    ns = server.createNamespace("shop");
    operatorClient = server.clientAs(Installation.NAMESPACE, Installation.OPERATOR, rejections);
    operator = StiggSidecarOperator.create(operatorClient, DEFAULTS, new SimpleMeterRegistry(), Optional.empty(),
        Clock.systemUTC());
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
    operatorClient.close();
    admin.resources(StiggSidecar.class).inNamespace(ns).delete();
    assertThat(rejections.forbidden()).as("requests the shipped RBAC forbade").isEmpty();
    // Server-side apply and merge patches carry no resourceVersion: a controller or user writing
    // the same objects meanwhile (the test marks Deployments ready) never makes the operator retry.
    assertThat(rejections.conflicts()).as("operator writes that met a conflict").isEmpty();
  }

  @Test
  void missingApiKeySecretIsReportedWithWhatToCreate() {
    create(spec(null, null, null, Map.of()));

    StiggSidecarStatus status = awaitStatus(s -> s.conditions() != null);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ApiKeySecretMissing");
    assertThat(condition(status, "Ready").getMessage())
        .contains("Secret stigg-api-key not found in namespace " + ns)
        .contains("kubectl -n " + ns + " create secret generic stigg-api-key --from-literal=SERVER_API_KEY=");
    assertThat(status.observedGeneration()).isEqualTo(current().getMetadata().getGeneration());

    createApiKeySecret();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(condition(current().getStatus(), "Ready").getStatus()).isEqualTo("True"));
  }

  @Test
  void everySpecChangeDrivesOwnedObjectsAndStatus() {
    createApiKeySecret();
    create(spec(null, null, null, Map.of("premium", new FallbackEntitlement(true, null, 100L, null, null))));

    StiggSidecarStatus first = awaitStatus(s -> s.conditions() != null && isTrue(s, "Ready"));
    ConfigMap config = admin.configMaps().inNamespace(ns).withName("default-sidecar-env").get();
    assertThat(config.getData()).containsEntry("ENTITLEMENTS_FALLBACK", "{\"premium\":{\"hasAccess\":true,\"usageLimit\":100}}")
        .doesNotContainKey("REDIS_ENVIRONMENT_PREFIX");
    assertOwned(config);
    assertThat(first.configHash()).isEqualTo(config.getMetadata().getAnnotations().get(InjectionKeys.CONFIG_HASH));
    assertThat(first.cache()).isEqualTo("memory");
    assertThat(first.observedGeneration()).isEqualTo(1L);
    assertThat(condition(first, "RedisReady").getReason()).isEqualTo("NotRequired");
    assertThat(deployment("default-redis")).isNull();

    // Memory -> managed Redis with the persistent cache: Redis first, the persistent cache once Redis is ready.
    update(s -> spec(new CacheSpec(null, new RedisCacheSpec(new ManagedRedisSpec(null, null), null, "prod", null)),
        new PersistentCacheSpec(true, null, null, null), null, s.fallbackEntitlements()));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") != null);
    assertOwned(deployment("default-redis"));
    assertOwned(admin.services().inNamespace(ns).withName("default-redis").get());
    StiggSidecarStatus waiting = awaitStatus(s -> s.observedGeneration() == 2L
        && "WaitingForRedis".equals(condition(s, "PersistentCacheReady").getReason()));
    assertThat(condition(waiting, "Ready").getStatus()).isEqualTo("False");
    assertThat(waiting.configHash()).isNotEqualTo(first.configHash());
    assertThat(deployment("default-persistent-cache")).isNull();
    assertThat(admin.configMaps().inNamespace(ns).withName("default-sidecar-env").get().getData())
        .containsEntry("REDIS_ENVIRONMENT_PREFIX", "prod").containsEntry("REDIS_HOST", "default-redis");

    markReady("default-redis", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-persistent-cache") != null);
    assertOwned(deployment("default-persistent-cache"));
    markReady("default-persistent-cache", 1);
    StiggSidecarStatus redisReady = awaitStatus(s -> isTrue(s, "Ready"));
    assertThat(redisReady.cache()).isEqualTo("redis-managed");
    assertThat(condition(redisReady, "PersistentCacheReady").getStatus()).isEqualTo("True");

    // Managed -> external Redis: the managed Redis goes, the persistent cache stays and follows.
    update(s -> spec(new CacheSpec(null, new RedisCacheSpec(null,
            new ExternalRedisSpec("redis.shared.svc", 6380, 2, true, "stigg", new SecretKeyRef("redis", "password")),
            "prod", 3600)),
        s.persistentCache(), null, s.fallbackEntitlements()));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") == null
        && admin.services().inNamespace(ns).withName("default-redis").get() == null);
    StiggSidecarStatus external = awaitStatus(s -> s.observedGeneration() == 3L);
    assertThat(external.cache()).isEqualTo("redis-external");
    assertThat(condition(external, "RedisReady").getStatus()).isEqualTo("Unknown");
    assertThat(admin.configMaps().inNamespace(ns).withName("default-sidecar-env").get().getData())
        .containsEntry("REDIS_HOST", "redis.shared.svc").containsEntry("REDIS_PORT", "6380")
        .containsEntry("REDIS_KEYS_TTL_IN_SECS", "3600");
    assertThat(deployment("default-persistent-cache").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(env -> assertThat(env.getName()).isEqualTo("REDIS_PASSWORD"));

    // Standalone on with JVM options, persistent cache off.
    update(s -> withJvmOptions(spec(s.cache(), new PersistentCacheSpec(false, null, null, null),
        new StandaloneSpec(true, 3, null), s.fallbackEntitlements()), "-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20"));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-sidecar") != null
        && deployment("default-persistent-cache") == null);
    assertThat(deployment("default-sidecar").getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment("default-sidecar").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(env -> {
          assertThat(env.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
          assertThat(env.getValue()).isEqualTo("-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20");
        });
    assertThat(admin.configMaps().inNamespace(ns).withName("default-sidecar-env").get().getData())
        .doesNotContainKey("JAVA_TOOL_OPTIONS");
    assertOwned(deployment("default-sidecar"));
    assertOwned(admin.services().inNamespace(ns).withName("default-sidecar").get());
    assertOwned(admin.policy().v1().podDisruptionBudget().inNamespace(ns).withName("default-sidecar").get());
    StiggSidecarStatus standaloneStarting = awaitStatus(s -> s.observedGeneration() == 4L);
    assertThat(condition(standaloneStarting, "StandaloneReady").getStatus()).isEqualTo("False");
    markReady("default-sidecar", 3);
    awaitStatus(s -> isTrue(s, "StandaloneReady"));

    // Back to memory, standalone off, fallback changed: standalone objects go, the hash moves.
    String hashBefore = current().getStatus().configHash();
    update(s -> spec(null, null, new StandaloneSpec(false, null, null),
        Map.of("premium", new FallbackEntitlement(false, null, null, null, null))));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-sidecar") == null
        && admin.services().inNamespace(ns).withName("default-sidecar").get() == null
        && admin.policy().v1().podDisruptionBudget().inNamespace(ns).withName("default-sidecar").get() == null);
    StiggSidecarStatus back = awaitStatus(s -> s.observedGeneration() == 5L && isTrue(s, "Ready"));
    assertThat(back.configHash()).isNotEqualTo(hashBefore);
    assertThat(back.cache()).isEqualTo("memory");

    // Delete: no finalizer, so the resource goes at once, operator running or not; what it owned
    // names it as controlling owner, for the garbage collector (which this API server does not run).
    String uid = current().getMetadata().getUid();
    assertThat(current().getMetadata().getFinalizers()).isEmpty();
    operator.stop();
    admin.resources(StiggSidecar.class).inNamespace(ns).withName(NAME).delete();
    assertThat(current()).isNull();
    assertThat(admin.configMaps().inNamespace(ns).withName("default-sidecar-env").get().getMetadata()
        .getOwnerReferences()).singleElement().satisfies(owner -> assertThat(owner.getUid()).isEqualTo(uid));
  }

  /**
   * The managed Redis's password: generated into an owned, immutable Secret, referenced by Redis
   * and every client, copied nowhere, kept across reconciliations, and replaced (restarting its
   * users) when the Secret is deleted. Redis and the standalone sidecars get their NetworkPolicies.
   */
  @Test
  void theManagedRedisGetsAGeneratedPasswordThatNoOtherObjectCarries() {
    createApiKeySecret();
    create(spec(MANAGED_REDIS, new PersistentCacheSpec(true, null, null, null), new StandaloneSpec(true, 2, null),
        Map.of()));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") != null
        && deployment("default-sidecar") != null);
    markReady("default-redis", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-persistent-cache") != null);

    Secret secret = admin.secrets().inNamespace(ns).withName("default-redis-auth").get();
    assertOwned(secret);
    assertThat(secret.getImmutable()).isTrue();
    assertThat(secret.getData()).containsOnlyKeys("password");
    String password = new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.US_ASCII);
    assertThat(password).hasSize(32).matches("[A-Za-z0-9_-]+");
    String version = secret.getMetadata().getUid() + "/" + secret.getMetadata().getResourceVersion();
    for (String user : List.of("default-redis", "default-sidecar", "default-persistent-cache")) {
      assertThat(deployment(user).getSpec().getTemplate().getMetadata().getAnnotations())
          .as(user + " restarts with a new password").containsEntry(InjectionKeys.REDIS_AUTH_VERSION, version);
      assertThat(deployment(user).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .as(user + " reads the password from the Secret")
          .anySatisfy(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("default-redis-auth"));
    }
    assertOwned(admin.network().v1().networkPolicies().inNamespace(ns).withName("default-redis").get());
    assertOwned(admin.network().v1().networkPolicies().inNamespace(ns).withName("default-sidecar").get());
    assertThat(admin.configMaps().inNamespace(ns).list().getItems()).extracting(Object::toString)
        .noneMatch(text -> text.contains(password));
    assertThat(current().toString()).doesNotContain(password);

    // Another spec change reconciles again: the password stays.
    update(s -> spec(s.cache(), s.persistentCache(), s.standalone(), Map.of("a", new FallbackEntitlement(true, null,
        null, null, null))));
    awaitStatus(s -> s.observedGeneration() == 2L);
    assertThat(admin.secrets().inNamespace(ns).withName("default-redis-auth").get().getMetadata().getResourceVersion())
        .isEqualTo(secret.getMetadata().getResourceVersion());

    // Deleted (to rotate it): at the next reconciliation (at most a minute later; here a spec
    // change, since Secrets are not watched) a new password, and Redis and its users roll.
    admin.secrets().inNamespace(ns).withName("default-redis-auth").delete();
    update(s -> spec(s.cache(), s.persistentCache(), s.standalone(), Map.of()));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Secret again = admin.secrets().inNamespace(ns).withName("default-redis-auth").get();
      return again != null && !again.getMetadata().getUid().equals(secret.getMetadata().getUid());
    });
    Secret rotated = admin.secrets().inNamespace(ns).withName("default-redis-auth").get();
    assertThat(rotated.getData().get("password")).isNotEqualTo(secret.getData().get("password"));
    String rotatedVersion = rotated.getMetadata().getUid() + "/" + rotated.getMetadata().getResourceVersion();
    await().atMost(Duration.ofSeconds(30)).until(() -> rotatedVersion.equals(deployment("default-redis").getSpec()
        .getTemplate().getMetadata().getAnnotations().get(InjectionKeys.REDIS_AUTH_VERSION)));
  }

  @Test
  void aPasswordSecretTheUserCreatedIsUsedAsItIsAndOneWithoutThePasswordIsReported() {
    createApiKeySecret();
    admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("default-redis-auth")
        .endMetadata().addToStringData("wrong-key", "x").build()).create();
    create(spec(MANAGED_REDIS, null, null, Map.of()));

    StiggSidecarStatus failed = awaitStatus(s -> s.conditions() != null
        && "ReconcileError".equals(condition(s, "Ready").getReason()));
    assertThat(condition(failed, "Ready").getMessage()).contains("Secret default-redis-auth in namespace " + ns
        + " has no key 'password'");

    admin.secrets().inNamespace(ns).withName("default-redis-auth").edit(secret -> new SecretBuilder(secret)
        .withData(Map.of("password", Base64.getEncoder().encodeToString("my-own-password".getBytes(StandardCharsets.UTF_8))))
        .build());
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") != null);
    Secret mine = admin.secrets().inNamespace(ns).withName("default-redis-auth").get();
    assertThat(mine.getMetadata().getOwnerReferences()).as("the user's Secret is not taken over").isNullOrEmpty();
    assertThat(deployment("default-redis").getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(InjectionKeys.REDIS_AUTH_VERSION, mine.getMetadata().getUid() + "/"
            + mine.getMetadata().getResourceVersion());
  }

  @Test
  void aFailedReconciliationSaysWhyInReadyAndRecoversWhenTheCauseGoes() {
    createApiKeySecret();
    // Someone else's ConfigMap where the operator's goes: it is not taken over, and the status says why.
    admin.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("default-sidecar-env").endMetadata().addToData("someone", "else's").build()).create();
    create(spec(null, null, null, Map.of()));

    StiggSidecarStatus failed = awaitStatus(s -> s.conditions() != null
        && "ReconcileError".equals(condition(s, "Ready").getReason()));
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "Ready").getMessage()).startsWith("reconciliation failed, retrying with backoff: ")
        .endsWith("config: configmaps \"default-sidecar-env\" already exists");
    assertThat(admin.configMaps().inNamespace(ns).withName("default-sidecar-env").get().getData())
        .containsOnlyKeys("someone");
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("ReconcileError"));

    admin.configMaps().inNamespace(ns).withName("default-sidecar-env").delete();
    StiggSidecarStatus recovered = awaitStatus(s -> isTrue(s, "Ready"));
    assertThat(condition(recovered, "Ready").getReason()).isEqualTo("AllReady");
  }

  @Test
  void injectedPodsAreCountedFromPodEventsWithinSeconds() {
    createApiKeySecret();
    create(spec(null, null, null, Map.of()));
    String hash = awaitStatus(s -> isTrue(s, "Ready")).configHash();

    long created = System.nanoTime();
    injectedPod("current-1", hash);
    awaitStatus(s -> s.injectedPods() != null && s.injectedPods().total() == 1);
    log.info("a new injected pod was counted in status {} ms after its creation", (System.nanoTime() - created) / 1_000_000);

    injectedPod("current-2", hash);
    injectedPod("old-1", "0000000000000000");
    StiggSidecarStatus status = awaitStatus(s -> s.injectedPods().total() == 3);
    assertThat(status.injectedPods().upToDate()).isEqualTo(2);
    assertThat(status.injectedPods().outdated()).isEqualTo(1);

    admin.pods().inNamespace(ns).withName("old-1").delete();
    status = awaitStatus(s -> s.injectedPods().total() == 2);
    assertThat(status.injectedPods().outdated()).isZero();
  }

  @Test
  void aSettledResourceIsNotWrittenAgain() {
    createApiKeySecret();
    create(spec(new CacheSpec(null, new RedisCacheSpec(new ManagedRedisSpec(null, null), null, "prod", null)),
        new PersistentCacheSpec(true, 2, null, null), new StandaloneSpec(true, 2, null), Map.of()));
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-redis") != null);
    markReady("default-redis", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> deployment("default-persistent-cache") != null);
    markReady("default-persistent-cache", 2);
    markReady("default-sidecar", 2);
    String hash = awaitStatus(s -> isTrue(s, "Ready")).configHash();
    Map<String, String> versions = ownedResourceVersions();
    String statusVersion = current().getMetadata().getResourceVersion();

    // Each pod event reconciles; with nothing else changed, owned objects and status stay as they are.
    injectedPod("a", hash);
    awaitStatus(s -> s.injectedPods().total() == 1);
    String countedVersion = current().getMetadata().getResourceVersion();
    admin.pods().inNamespace(ns).resource(new PodBuilder(admin.pods().inNamespace(ns).withName("a").get())
        .editMetadata().addToLabels("unrelated", "change").endMetadata().build()).update();
    injectedPod("b", hash);
    awaitStatus(s -> s.injectedPods().total() == 2);
    admin.pods().inNamespace(ns).withName("b").delete();
    awaitStatus(s -> s.injectedPods().total() == 1);

    assertThat(ownedResourceVersions()).as("server-side apply finds nothing to change").isEqualTo(versions);
    assertThat(countedVersion).isNotEqualTo(statusVersion);
  }

  @Test
  void restartRolloutRestartsWorkloadsOfOutdatedPodsAndSaysSo() {
    createApiKeySecret();
    admin.apps().deployments().inNamespace(ns).resource(StandInControllers.deployment(ns, "checkout", Map.of()))
        .create();
    List<Pod> pods = StandInControllers.rollOut(admin, ns, "checkout", 1);
    admin.pods().inNamespace(ns).resource(new PodBuilder(pods.get(0)).editMetadata()
        .addToLabels(InjectionKeys.INJECTED_BY, NAME).addToAnnotations(InjectionKeys.CONFIG_HASH, "0000000000000000")
        .endMetadata().build()).update();

    StiggSidecarSpec spec = spec(null, null, null, Map.of());
    create(new StiggSidecarSpec(null, null, spec.apiKeySecretRef(), null, null, null, null, null, null, null, null,
        Map.of(), null, null, null, new InjectionSpec(null, null, null, InjectionSpec.RolloutPolicy.Restart), null));

    StiggSidecarStatus status = awaitStatus(s -> s.lastRolloutTime() != null);
    assertThat(status.injectedPods().outdated()).isEqualTo(1);
    assertThat(deployment("checkout").getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(InjectionKeys.RESTARTED_FOR, status.configHash())
        .containsKey("kubectl.kubernetes.io/restartedAt");
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(event -> {
          assertThat(event.getReason()).isEqualTo("RolloutRestart");
          assertThat(event.getMessage()).contains("Deployment/checkout", status.configHash());
        });
  }

  private static final CacheSpec MANAGED_REDIS =
      new CacheSpec(null, new RedisCacheSpec(new ManagedRedisSpec(null, null), null, "prod", null));

  private static StiggSidecarSpec spec(CacheSpec cache, PersistentCacheSpec persistentCache, StandaloneSpec standalone,
      Map<String, FallbackEntitlement> fallbacks) {
    return new StiggSidecarSpec(null, null, new SecretKeyRef("stigg-api-key", "SERVER_API_KEY"), null, null, null,
        null, null, null, null, null, fallbacks, cache, persistentCache, standalone, null, null);
  }

  private static StiggSidecarSpec withJvmOptions(StiggSidecarSpec s, String jvmOptions) {
    return new StiggSidecarSpec(s.image(), s.imagePullPolicy(), s.apiKeySecretRef(), s.grpcPort(), s.httpPort(),
        s.logLevel(), s.resources(), s.offline(), s.apiUrl(), s.edge(), s.realtime(), s.fallbackEntitlements(), s.cache(),
        s.persistentCache(), s.standalone(), s.injection(), jvmOptions);
  }

  private void create(StiggSidecarSpec spec) {
    StiggSidecar resource = new StiggSidecar();
    resource.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(ns).build());
    resource.setSpec(spec);
    admin.resource(resource).create();
  }

  /** Replaces the spec as a user's edit would; the API server bumps the generation. */
  private void update(UnaryOperator<StiggSidecarSpec> change) {
    retryOnConflict(() -> admin.resources(StiggSidecar.class).inNamespace(ns).withName(NAME).edit(resource -> {
      resource.setSpec(change.apply(resource.getSpec()));
      return resource;
    }));
  }

  /**
   * An edit carries the resourceVersion it read, so when the operator writes the status in
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
    return admin.resources(StiggSidecar.class).inNamespace(ns).withName(NAME).get();
  }

  private StiggSidecarStatus awaitStatus(Predicate<StiggSidecarStatus> until) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
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

  /** Owned by the resource as its controller, blocking its foreground deletion, as the garbage collector expects. */
  private void assertOwned(HasMetadata object) {
    assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference owner) -> {
      assertThat(owner.getKind()).isEqualTo("StiggSidecar");
      assertThat(owner.getName()).isEqualTo(NAME);
      assertThat(owner.getUid()).isEqualTo(current().getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(owner.getBlockOwnerDeletion()).isTrue();
    });
  }

  private Map<String, String> ownedResourceVersions() {
    return Stream.of(
            admin.configMaps().inNamespace(ns).list().getItems().stream(),
            admin.apps().deployments().inNamespace(ns).list().getItems().stream(),
            admin.services().inNamespace(ns).list().getItems().stream(),
            admin.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems().stream(),
            admin.network().v1().networkPolicies().inNamespace(ns).list().getItems().stream(),
            admin.secrets().inNamespace(ns).list().getItems().stream())
        .flatMap(s -> s.map(HasMetadata.class::cast))
        .filter(o -> o.getMetadata().getOwnerReferences() != null && !o.getMetadata().getOwnerReferences().isEmpty())
        .collect(java.util.stream.Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(),
            o -> o.getMetadata().getResourceVersion()));
  }

  private Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private void markReady(String name, int replicas) {
    retryOnConflict(() -> admin.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReadyReplicas(replicas).withReplicas(replicas).build());
      return d;
    }));
  }

  private void createApiKeySecret() {
    admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("stigg-api-key")
        .withNamespace(ns).endMetadata().addToData("SERVER_API_KEY", "c2VydmVyLWtleQ==").build()).create();
  }

  private void injectedPod(String name, String hash) {
    admin.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToLabels(InjectionKeys.INJECTED_BY, NAME).addToAnnotations(InjectionKeys.CONFIG_HASH, hash)
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec()
        .build()).create();
  }
}
