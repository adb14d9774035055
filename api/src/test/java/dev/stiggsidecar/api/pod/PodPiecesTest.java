package dev.stiggsidecar.api.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.api.model.CacheSpec;
import dev.stiggsidecar.api.model.ExternalRedisSpec;
import dev.stiggsidecar.api.model.FallbackEntitlement;
import dev.stiggsidecar.api.model.InjectionSpec;
import dev.stiggsidecar.api.model.ManagedRedisSpec;
import dev.stiggsidecar.api.model.ObjectsFixture;
import dev.stiggsidecar.api.model.RedisCacheSpec;
import dev.stiggsidecar.api.model.SecretKeyRef;
import dev.stiggsidecar.api.model.StiggSidecarSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of a pod the operator renders and the webhook injects alike, as pure functions of the spec. */
class PodPiecesTest {

  private static final CacheSpec MANAGED = new CacheSpec(null, new RedisCacheSpec(new ManagedRedisSpec(null, null), null, "prod", 3600));
  private static final CacheSpec EXTERNAL = new CacheSpec(null, new RedisCacheSpec(null,
      new ExternalRedisSpec("redis.example", 6380, 2, true, "app", new SecretKeyRef("redis", "password")), "prod", null));

  private static StiggSidecarSpec spec(CacheSpec cache, Map<String, FallbackEntitlement> fallbacks) {
    return new StiggSidecarSpec(null, null, new SecretKeyRef("stigg", "SERVER_API_KEY"), null, null, null, null,
        null, "http://stigg-emulator:8080", null, null, fallbacks, cache, null, null, null, null);
  }

  /**
   * Pinned: a change of this value restarts every injected workload of every user with {@code
   * rollout: Restart}. Change it only with a change of what shapes the sidecar, never by accident
   * (a library upgrade, a refactoring).
   */
  @Test
  void configHashOfAKnownSpecIsPinned() {
    assertThat(ConfigHash.of(ObjectsFixture.effective(spec(MANAGED, Map.of("seats",
        new FallbackEntitlement(true, null, 5L, null, null)))))).isEqualTo("d24c21db76997bff");
  }

  @Test
  void howOutdatedPodsAreHandledIsNotPartOfTheirConfiguration() {
    StiggSidecarSpec base = spec(MANAGED, Map.of());
    StiggSidecarSpec restarting = new StiggSidecarSpec(null, null, base.apiKeySecretRef(), null, null, null, null, null,
        base.apiUrl(), null, null, Map.of(), MANAGED, null, null, new InjectionSpec(null, null, null, InjectionSpec.RolloutPolicy.Restart), null);
    StiggSidecarSpec classic = new StiggSidecarSpec(null, null, base.apiKeySecretRef(), null, null, null, null, null,
        base.apiUrl(), null, null, Map.of(), MANAGED, null, null, new InjectionSpec(InjectionSpec.NativeSidecarMode.Never, null, null, null), null);
    String hash = ConfigHash.of(ObjectsFixture.effective(base));
    assertThat(ConfigHash.of(ObjectsFixture.effective(restarting))).isEqualTo(hash);
    assertThat(ConfigHash.of(ObjectsFixture.effective(classic))).isNotEqualTo(hash);
  }

  @Test
  void configHashIsStableAndFollowsEveryInput() {
    String base = ConfigHash.of(ObjectsFixture.effective(spec(MANAGED, Map.of())));
    assertThat(ConfigHash.of(ObjectsFixture.effective(spec(MANAGED, Map.of())))).isEqualTo(base).hasSize(16);
    assertThat(ConfigHash.of(ObjectsFixture.effective(spec(EXTERNAL, Map.of())))).isNotEqualTo(base);
    assertThat(ConfigHash.of(ObjectsFixture.effective(spec(MANAGED,
        Map.of("a", new FallbackEntitlement(true, null, null, null, null)))))).isNotEqualTo(base);
  }

  @Test
  void jvmOptionsReachOnlyTheSidecarContainerAndShapeItsHash() {
    StiggSidecarSpec base = spec(MANAGED, Map.of());
    StiggSidecarSpec tuned = new StiggSidecarSpec(null, null, base.apiKeySecretRef(), null, null, null, null, null,
        base.apiUrl(), null, null, Map.of(), MANAGED, null, null, null,
        "-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20");

    Container container = SidecarContainerRenderer.render(ObjectsFixture.effective(tuned), "127.0.0.1");
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("JAVA_TOOL_OPTIONS",
            "-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20"));
    assertThat(SidecarEnvironment.configData(ObjectsFixture.effective(tuned)))
        .as("the ConfigMap, which the persistent cache loads too").doesNotContainKey("JAVA_TOOL_OPTIONS");
    assertThat(SidecarContainerRenderer.render(ObjectsFixture.effective(base), "127.0.0.1").getEnv())
        .extracting(EnvVar::getName).doesNotContain("JAVA_TOOL_OPTIONS");
    assertThat(ConfigHash.of(ObjectsFixture.effective(tuned)))
        .isNotEqualTo(ConfigHash.of(ObjectsFixture.effective(base)));
  }

  @Test
  void sidecarContainerIsRestrictedProbedAndReadsItsSecret() {
    Container container = SidecarContainerRenderer.render(ObjectsFixture.effective(spec(MANAGED, Map.of())), "127.0.0.1");
    assertThat(container.getName()).isEqualTo("stigg-sidecar");
    assertThat(container.getImage()).isEqualTo("sidecar:1");
    assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("main-sidecar-env");
    EnvVar apiKey = container.getEnv().get(0);
    assertThat(apiKey.getValue()).isNull();
    assertThat(apiKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("stigg");
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("GRPC_BIND_ADDRESS", "127.0.0.1"));
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
  }
}
