package dev.stiggsidecar.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveSpecTest {

  static final OperatorDefaults DEFAULTS = new OperatorDefaults("sidecar:1", "pcache:1", "redis:7");

  static StiggSidecar resource(StiggSidecarSpec spec) {
    StiggSidecar resource = new StiggSidecar();
    resource.setMetadata(new ObjectMetaBuilder().withName("main").withNamespace("shop").withGeneration(1L).build());
    resource.setSpec(spec);
    return resource;
  }

  static StiggSidecarSpec minimal() {
    return new StiggSidecarSpec(null, null, new SecretKeyRef("stigg", "SERVER_API_KEY"), null, null, null, null,
        null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void minimalSpecGetsDocumentedDefaults() {
    EffectiveSpec spec = EffectiveSpec.of(resource(minimal()), DEFAULTS);
    assertThat(spec.image()).isEqualTo("sidecar:1");
    assertThat(spec.imagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(spec.grpcPort()).isEqualTo(8443);
    assertThat(spec.httpPort()).isEqualTo(18080);
    assertThat(spec.logLevel()).isEqualTo("info");
    assertThat(spec.edgeEnabled()).isTrue();
    assertThat(spec.realtimeEnabled()).isTrue();
    assertThat(spec.cache()).isInstanceOf(EffectiveSpec.MemoryCache.class);
    assertThat(spec.cacheKind()).isEqualTo("memory");
    assertThat(spec.persistentCache()).isEmpty();
    assertThat(spec.standalone()).isEmpty();
    assertThat(spec.resources().getRequests()).containsKeys("cpu", "memory");
    assertThat(spec.resources().getLimits()).containsOnlyKeys("memory");
    assertThat(spec.injection().hostEnvName()).isEqualTo("STIGG_SIDECAR_HOST");
    assertThat(spec.injection().nativeSidecar()).isEqualTo(InjectionSpec.NativeSidecarMode.Auto);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    StiggSidecarSpec spec = new StiggSidecarSpec(null, null, null, null, null, null, null, null, null, null, null,
        Map.of("bad id", new FallbackEntitlement(true, null, null, null, null)),
        new CacheSpec(new MemoryCacheSpec(null), new RedisCacheSpec(null, null, "", null)),
        new PersistentCacheSpec(true, null, null, null), null, null, "-XX:MaxNewSize=16m Xss1m");
    assertThatThrownBy(() -> EffectiveSpec.of(resource(spec), DEFAULTS))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "spec.apiKeySecretRef: name and key of the Secret holding the Stigg server API key are required",
            "spec.jvmOptions: \"-XX:MaxNewSize=16m Xss1m\" is not JVM options separated by single spaces, each "
                + "starting with - (such as \"-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20\"), at most 1024 characters",
            "spec.cache: set either memory or redis, not both",
            "spec.cache.redis.keyPrefix: required; every writer of this Redis must use the same prefix",
            "spec.cache.redis: set exactly one of managed: {} or external: {host: ...}",
            "spec.fallbackEntitlements.bad id: not a feature id (letters, digits, _ . : -)"));
  }

  @Test
  void persistentCacheNeedsRedis() {
    StiggSidecarSpec spec = new StiggSidecarSpec(null, null, new SecretKeyRef("s", "k"), null, null, null, null, null,
        null, null, null, null, null, new PersistentCacheSpec(true, null, null, null), null, null, null);
    assertThatThrownBy(() -> EffectiveSpec.of(resource(spec), DEFAULTS))
        .hasMessageContaining("spec.persistentCache.enabled: needs spec.cache.redis");
  }
}
