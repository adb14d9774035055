package dev.stiggsidecar.webhook.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.SecretKeyRef;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarSpec;
import dev.stiggsidecar.api.pod.ConfigHash;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PodMutatorTest {

  static final OperatorDefaults DEFAULTS = new OperatorDefaults("sidecar:1", "pcache:1", "redis:7");

  static EffectiveSpec spec() {
    StiggSidecar resource = new StiggSidecar();
    resource.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace("shop").build());
    resource.setSpec(new StiggSidecarSpec(null, null, new SecretKeyRef("stigg-api-key", "SERVER_API_KEY"), null, null,
        null, null, null, null, null, null, null, null, null, null, null, null));
    return EffectiveSpec.of(resource, DEFAULTS);
  }

  private static Pod pod(Container... containers) {
    return new PodBuilder().withNewMetadata().withGenerateName("checkout-").withNamespace("shop")
        .addToAnnotations("sidecar.stigg.io/inject", "true").endMetadata()
        .withNewSpec().withContainers(containers).endSpec().build();
  }

  private static Container app(String name, EnvVar... env) {
    return new ContainerBuilder().withName(name).withImage(name + ":1").withEnv(env).build();
  }

  @Test
  void classicModeAppendsTheSidecarAndTellsAppsWhereItIs() {
    Pod mutated = PodMutator.mutate(pod(app("checkout")), spec(), false, Overrides.NONE);
    List<Container> containers = mutated.getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("checkout", "stigg-sidecar");
    assertThat(containers.get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue).containsExactly(
        org.assertj.core.groups.Tuple.tuple("STIGG_SIDECAR_HOST", "127.0.0.1"),
        org.assertj.core.groups.Tuple.tuple("STIGG_SIDECAR_PORT", "8443"));
    Container sidecar = containers.get(1);
    assertThat(sidecar.getRestartPolicy()).isNull();
    assertThat(sidecar.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("default-sidecar-env");
    assertThat(sidecar.getEnv().get(0).getValueFrom().getSecretKeyRef().getName()).isEqualTo("stigg-api-key");
    assertThat(mutated.getSpec().getInitContainers()).isNullOrEmpty();
    assertThat(mutated.getSpec().getVolumes()).extracting(Volume::getName).containsExactly("stigg-sidecar-tmp");
    assertThat(mutated.getMetadata().getAnnotations())
        .containsEntry("sidecar.stigg.io/status", "injected")
        .containsEntry("sidecar.stigg.io/config-hash", ConfigHash.of(spec()))
        .containsEntry("kubectl.kubernetes.io/default-container", "checkout");
    assertThat(mutated.getMetadata().getLabels()).containsEntry("sidecar.stigg.io/injected-by", "default");
  }

  @Test
  void nativeModeStartsTheSidecarFirstAsAnInitContainerThatKeepsRunning() {
    Pod original = new PodBuilder(pod(app("checkout"))).editSpec()
        .addNewInitContainer().withName("migrate").withImage("migrate:1").endInitContainer().endSpec().build();
    Pod mutated = PodMutator.mutate(original, spec(), true, Overrides.NONE);
    assertThat(mutated.getSpec().getInitContainers()).extracting(Container::getName)
        .containsExactly("stigg-sidecar", "migrate");
    assertThat(mutated.getSpec().getInitContainers().get(0).getRestartPolicy()).isEqualTo("Always");
    assertThat(mutated.getSpec().getInitContainers().get(0).getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(mutated.getSpec().getInitContainers().get(1)).isEqualTo(original.getSpec().getInitContainers().get(0));
    assertThat(mutated.getSpec().getContainers()).extracting(Container::getName).containsExactly("checkout");
  }

  @Test
  void userValuesWinAndAnotherMeshSidecarIsKept() {
    Pod mutated = PodMutator.mutate(pod(app("checkout", new EnvVar("STIGG_SIDECAR_PORT", "9000", null)),
        app("istio-proxy")), spec(), false, Overrides.NONE);
    assertThat(mutated.getSpec().getContainers()).extracting(Container::getName)
        .containsExactly("checkout", "istio-proxy", "stigg-sidecar");
    assertThat(mutated.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("STIGG_SIDECAR_PORT", "9000"),
            org.assertj.core.groups.Tuple.tuple("STIGG_SIDECAR_HOST", "127.0.0.1"));
  }

  @Test
  void overridesAdjustTheInjectedContainerOnly() {
    Overrides.Parsed parsed = Overrides.parse(Map.of("sidecar.stigg.io/cpu-request", "250m",
        "sidecar.stigg.io/memory-limit", "1Gi", "sidecar.stigg.io/log-level", "debug"));
    assertThat(parsed.valid()).isTrue();
    Container sidecar = PodMutator.mutate(pod(app("checkout")), spec(), false, parsed.overrides())
        .getSpec().getContainers().get(1);
    assertThat(sidecar.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(sidecar.getResources().getRequests().get("memory").toString()).isEqualTo("128Mi");
    assertThat(sidecar.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(sidecar.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("LOG_LEVEL", "debug"));
  }

  @Test
  void invalidOverridesNameTheAnnotationAndTheAllowedValues() {
    Overrides.Parsed parsed = Overrides.parse(Map.of("sidecar.stigg.io/memory-limit", "lots",
        "sidecar.stigg.io/log-level", "verbose"));
    assertThat(parsed.problems()).containsExactlyInAnyOrder(
        "annotation sidecar.stigg.io/memory-limit: \"lots\" is not a resource quantity such as 250m, 1, 256Mi or 1Gi",
        "annotation sidecar.stigg.io/log-level: \"verbose\" is not one of error, warn, info, debug");
  }

  @Test
  void injectingTwiceEqualsInjectingOnceInBothModes() {
    for (boolean nativeSidecar : new boolean[] {true, false}) {
      Pod once = PodMutator.mutate(pod(app("checkout")), spec(), nativeSidecar, Overrides.NONE);
      assertThat(PodMutator.mutate(once, spec(), nativeSidecar, Overrides.NONE)).isEqualTo(once);
      // A pod injected in one mode is recognised in the other: never two sidecars.
      assertThat(PodMutator.mutate(once, spec(), !nativeSidecar, Overrides.NONE)).isEqualTo(once);
    }
  }

  /** Many generated pods: idempotent, and nothing of the user's is removed, changed or reordered. */
  @Test
  void generatedPodsKeepEverythingOfTheUsersAndAreIdempotent() {
    Random random = new Random(20261127);
    for (int i = 0; i < 500; i++) {
      Pod original = GeneratedPods.random(random);
      boolean nativeSidecar = random.nextBoolean();
      Pod once = PodMutator.mutate(original, spec(), nativeSidecar, Overrides.NONE);
      assertThat(PodMutator.mutate(once, spec(), nativeSidecar, Overrides.NONE)).as("pod %d", i).isEqualTo(once);

      List<Container> userContainers = original.getSpec().getContainers();
      List<Container> after = once.getSpec().getContainers().stream().filter(c -> !PodMutator.isSidecar(c)).toList();
      assertThat(after).extracting(Container::getName).containsExactlyElementsOf(
          userContainers.stream().map(Container::getName).toList());
      for (int c = 0; c < userContainers.size(); c++) {
        List<EnvVar> before = userContainers.get(c).getEnv() == null ? List.of() : userContainers.get(c).getEnv();
        assertThat(after.get(c).getEnv().subList(0, before.size())).as("pod %d container %d env", i, c).isEqualTo(before);
        assertThat(after.get(c).getImage()).isEqualTo(userContainers.get(c).getImage());
      }
      List<Volume> volumesBefore = original.getSpec().getVolumes() == null ? List.of() : original.getSpec().getVolumes();
      assertThat(once.getSpec().getVolumes().subList(0, volumesBefore.size())).isEqualTo(volumesBefore);
      List<Container> initBefore = original.getSpec().getInitContainers() == null ? List.of() : original.getSpec().getInitContainers();
      assertThat(once.getSpec().getInitContainers() == null ? List.<Container>of()
          : once.getSpec().getInitContainers().stream().filter(c -> !PodMutator.isSidecar(c)).toList())
          .containsExactlyElementsOf(initBefore);
      assertThat(once.getMetadata().getAnnotations()).containsAllEntriesOf(original.getMetadata().getAnnotations());
    }
  }
}
