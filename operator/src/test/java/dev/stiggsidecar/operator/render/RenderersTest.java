package dev.stiggsidecar.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.api.model.CacheSpec;
import dev.stiggsidecar.api.model.ClientSelector;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.ExternalRedisSpec;
import dev.stiggsidecar.api.model.FallbackEntitlement;
import dev.stiggsidecar.api.model.ManagedRedisSpec;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.PersistentCacheSpec;
import dev.stiggsidecar.api.model.RedisCacheSpec;
import dev.stiggsidecar.api.model.SecretKeyRef;
import dev.stiggsidecar.api.model.StandaloneSpec;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.api.model.StiggSidecarSpec;
import dev.stiggsidecar.api.pod.ConfigHash;
import dev.stiggsidecar.api.pod.SidecarEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every owned object as a pure function of the spec; no cluster. */
class RenderersTest {

  private static StiggSidecarSpec spec(CacheSpec cache, Map<String, FallbackEntitlement> fallbacks) {
    return new StiggSidecarSpec(null, null, new SecretKeyRef("stigg", "SERVER_API_KEY"), null, null, null, null,
        null, "http://stigg-emulator:8080", null, null, fallbacks, cache, new PersistentCacheSpec(true, 2, null, null),
        new StandaloneSpec(true, 3, null), null, null);
  }

  private static StiggSidecarSpec spec(CacheSpec cache, StandaloneSpec standalone) {
    return new StiggSidecarSpec(null, null, new SecretKeyRef("stigg", "SERVER_API_KEY"), null, null, null, null,
        null, null, null, null, Map.of(), cache, null, standalone, null, null);
  }

  private static EffectiveSpec effective(StiggSidecarSpec spec) {
    StiggSidecar resource = new StiggSidecar();
    resource.setMetadata(new ObjectMetaBuilder().withName("main").withNamespace("shop").build());
    resource.setSpec(spec);
    return EffectiveSpec.of(resource, new OperatorDefaults("sidecar:1", "pcache:1", "redis:7"));
  }

  private static final CacheSpec MANAGED = new CacheSpec(null, new RedisCacheSpec(new ManagedRedisSpec(null, null), null, "prod", 3600));
  private static final CacheSpec EXTERNAL = new CacheSpec(null, new RedisCacheSpec(null,
      new ExternalRedisSpec("redis.example", 6380, 2, true, "app", new SecretKeyRef("redis", "password")), "prod", null));

  @Test
  void configMapCarriesTheSidecarEnvironmentAndItsHash() {
    EffectiveSpec spec = effective(spec(MANAGED, Map.of("seats", new FallbackEntitlement(true, null, 5L, null, null))));
    ConfigMap config = SidecarConfigRenderer.render(spec);
    assertThat(config.getMetadata().getName()).isEqualTo("main-sidecar-env");
    assertThat(config.getData()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.ofEntries(
        Map.entry("API_URL", "http://stigg-emulator:8080"),
        Map.entry("EDGE_ENABLED", "true"), Map.entry("WS_ENABLED", "true"),
        Map.entry("ENTITLEMENTS_FALLBACK", "{\"seats\":{\"hasAccess\":true,\"usageLimit\":5}}"),
        Map.entry("HTTP_PORT", "18080"), Map.entry("PORT", "8443"), Map.entry("LOG_LEVEL", "info"),
        Map.entry("OFFLINE", "false"), Map.entry("REDIS_ENVIRONMENT_PREFIX", "prod"),
        Map.entry("REDIS_HOST", "main-redis"), Map.entry("REDIS_PORT", "6379"), Map.entry("REDIS_DB", "0"),
        Map.entry("REDIS_TLS", "false"), Map.entry("REDIS_KEYS_TTL_IN_SECS", "3600"))));
    assertThat(config.getMetadata().getAnnotations()).containsEntry(InjectionKeys.CONFIG_HASH, ConfigHash.of(spec));
    assertThat(config.getData().values()).noneMatch(value -> value.contains("stigg/SERVER_API_KEY"));
  }

  @Test
  void externalRedisPasswordStaysInItsSecret() {
    EffectiveSpec spec = effective(spec(EXTERNAL, Map.of()));
    assertThat(SidecarConfigRenderer.render(spec).getData()).containsEntry("REDIS_HOST", "redis.example")
        .containsEntry("REDIS_PORT", "6380").containsEntry("REDIS_DB", "2").containsEntry("REDIS_TLS", "true")
        .containsEntry("REDIS_USERNAME", "app").doesNotContainKey("REDIS_PASSWORD");
    assertThat(SidecarEnvironment.secretEnv(spec)).extracting(EnvVar::getName)
        .containsExactly("SERVER_API_KEY", "REDIS_PASSWORD");
    assertThat(spec.managedRedis()).isEmpty();
    assertThat(ManifestRenderer.render(spec)).extracting(o -> o.getMetadata().getName()).doesNotContain("main-redis");
  }

  @Test
  void managedRedisIsOneEphemeralNonRootReplicaBehindAService() {
    EffectiveSpec spec = effective(spec(MANAGED, Map.of()));
    Deployment redis = RedisRenderer.deployment(spec, spec.managedRedis().orElseThrow(), Optional.of("uid-1/7"));
    assertThat(redis.getMetadata().getName()).isEqualTo("main-redis");
    assertThat(redis.getSpec().getReplicas()).isOne();
    assertThat(redis.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Container container = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("redis:7");
    assertThat(container.getArgs()).containsExactly("--save", "", "--appendonly", "no", "--requirepass",
        "$(REDISCLI_AUTH)");
    assertThat(container.getEnv()).singleElement().satisfies(env -> {
      assertThat(env.getName()).as("read by the probe's redis-cli too").isEqualTo("REDISCLI_AUTH");
      assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("main-redis-auth");
      assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    });
    assertThat(redis.getSpec().getTemplate().getMetadata().getAnnotations())
        .as("a new password Secret restarts Redis").containsEntry(InjectionKeys.REDIS_AUTH_VERSION, "uid-1/7");
    assertThat(redis.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    Service service = RedisRenderer.service(spec);
    assertThat(service.getSpec().getSelector()).isEqualTo(redis.getSpec().getSelector().getMatchLabels());
    assertThat(redis.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
  }

  @Test
  void persistentCacheSharesTheConfigAndRollsWhenItChanges() {
    EffectiveSpec spec = effective(spec(MANAGED, Map.of()));
    Deployment deployment = PersistentCacheRenderer.deployment(spec, spec.persistentCache().orElseThrow(),
        Optional.of("uid-1/7"));
    assertThat(deployment.getMetadata().getName()).isEqualTo("main-persistent-cache");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("pcache:1");
    assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("main-sidecar-env");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(InjectionKeys.CONFIG_HASH, ConfigHash.of(spec))
        .containsEntry(InjectionKeys.REDIS_AUTH_VERSION, "uid-1/7");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("REDIS_PASSWORD"))
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getName()).containsExactly("main-redis-auth");
  }

  @Test
  void theManagedRedisAdmitsOnlyThePodsThatUseIt() {
    NetworkPolicy policy = RedisRenderer.networkPolicy(effective(spec(MANAGED, Map.of())));

    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(StiggSidecarResources.selector("main", StiggSidecarResources.COMPONENT_REDIS));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getFrom()).extracting(peer -> peer.getPodSelector().getMatchLabels()).containsExactly(
          Map.of(InjectionKeys.INJECTED_BY, "main"),
          StiggSidecarResources.selector("main", StiggSidecarResources.COMPONENT_STANDALONE),
          StiggSidecarResources.selector("main", StiggSidecarResources.COMPONENT_PERSISTENT_CACHE));
      assertThat(rule.getFrom()).allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).as("this namespace only")
          .isNull());
      assertThat(rule.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(6379);
    });
  }

  @Test
  void standaloneSidecarsTakeChecksFromTheirNamespaceAndTheAllowedClientsOnly() {
    EffectiveSpec spec = effective(spec(MANAGED, new StandaloneSpec(true, 2, List.of(new ClientSelector(
        null, new LabelSelectorBuilder().addToMatchLabels("team", "checkout").build())))));

    NetworkPolicy policy = StandaloneRenderer.networkPolicy(spec, spec.standalone().orElseThrow());

    assertThat(policy.getSpec().getIngress()).hasSize(2);
    assertThat(policy.getSpec().getIngress().get(0).getFrom()).satisfiesExactly(
        own -> {
          assertThat(own.getPodSelector().getMatchLabels()).as("every pod of this namespace").isNullOrEmpty();
          assertThat(own.getNamespaceSelector()).isNull();
        },
        allowed -> assertThat(allowed.getNamespaceSelector().getMatchLabels()).containsEntry("team", "checkout"));
    assertThat(policy.getSpec().getIngress().get(0).getPorts()).extracting(port -> port.getPort().getIntVal())
        .containsExactly(8443);
    assertThat(policy.getSpec().getIngress().get(1).getFrom()).as("health and metrics from anywhere").isNullOrEmpty();
    assertThat(policy.getSpec().getIngress().get(1).getPorts()).extracting(port -> port.getPort().getIntVal())
        .containsExactly(18080);
  }

  @Test
  void standaloneServesOtherPodsBehindAServiceAndABudget() {
    EffectiveSpec spec = effective(spec(MANAGED, Map.of()));
    Deployment deployment = StandaloneRenderer.deployment(spec, spec.standalone().orElseThrow(), Optional.empty());
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("GRPC_BIND_ADDRESS"))
        .extracting(EnvVar::getValue).containsExactly("0.0.0.0");
    assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    Service service = StandaloneRenderer.service(spec);
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName(), p -> p.getPort())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("grpc", 8443), org.assertj.core.groups.Tuple.tuple("http-metrics", 18080));
    PodDisruptionBudget budget = StandaloneRenderer.disruptionBudget(spec);
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isOne();
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
  }

  @Test
  void equalSpecsRenderEqualObjects() {
    List<?> first = ManifestRenderer.render(effective(spec(MANAGED, Map.of("a", new FallbackEntitlement(true, 1, null, null, null)))));
    List<?> second = ManifestRenderer.render(effective(spec(MANAGED, Map.of("a", new FallbackEntitlement(true, 1, null, null, null)))));
    assertThat(first).isEqualTo(second).hasSize(9);
  }
}
