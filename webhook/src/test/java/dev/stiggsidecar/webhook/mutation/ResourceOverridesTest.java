package dev.stiggsidecar.webhook.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.contract.InjectionKeys;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceOverridesTest {

  /** The shape of the defaults: cpu and memory requests, a memory limit and no cpu limit. */
  private static final ResourceRequirements CONFIGURED = new ResourceRequirementsBuilder()
      .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
      .addToLimits("memory", new Quantity("384Mi")).build();

  private static ResourceOverrides.Checked check(Map<String, String> annotations) {
    Overrides.Parsed parsed = Overrides.parse(annotations);
    assertThat(parsed.valid()).isTrue();
    return ResourceOverrides.check(CONFIGURED, parsed.overrides());
  }

  @Test
  void consistentOverridesPassUnchanged() {
    Overrides overrides = Overrides.parse(Map.of(InjectionKeys.MEMORY_LIMIT, "1Gi", InjectionKeys.CPU_LIMIT, "1"))
        .overrides();
    ResourceOverrides.Checked checked = ResourceOverrides.check(CONFIGURED, overrides);
    assertThat(checked.valid()).isTrue();
    assertThat(checked.warnings()).isEmpty();
    assertThat(checked.overrides()).isEqualTo(overrides);
  }

  @Test
  void aLimitBelowTheConfiguredRequestTakesTheRequestDownWithAWarning() {
    ResourceOverrides.Checked checked =
        check(Map.of(InjectionKeys.MEMORY_LIMIT, "100Mi", InjectionKeys.CPU_LIMIT, "50m"));

    assertThat(checked.valid()).isTrue();
    assertThat(checked.overrides().memoryRequest()).contains("100Mi");
    assertThat(checked.overrides().cpuRequest()).contains("50m");
    assertThat(checked.warnings()).hasSize(2).anySatisfy(warning -> assertThat(warning)
        .contains(InjectionKeys.MEMORY_LIMIT, "100Mi", "128Mi", InjectionKeys.MEMORY_REQUEST));

    Container sidecar = sidecarOf(checked.overrides());
    assertThat(sidecar.getResources().getRequests()).containsEntry("memory", new Quantity("100Mi"))
        .containsEntry("cpu", new Quantity("50m"));
    assertThat(sidecar.getResources().getLimits()).containsEntry("memory", new Quantity("100Mi"))
        .containsEntry("cpu", new Quantity("50m"));
  }

  @Test
  void quantitiesCompareByAmountNotBySpelling() {
    ResourceOverrides.Checked checked = check(Map.of(InjectionKeys.MEMORY_LIMIT, "134217728",
        InjectionKeys.CPU_REQUEST, "0.1", InjectionKeys.CPU_LIMIT, "100m"));

    assertThat(checked.valid()).isTrue();
    assertThat(checked.warnings()).isEmpty();
    assertThat(checked.overrides().memoryRequest()).isEmpty();
  }

  @Test
  void aRequestAboveItsLimitIsAProblemNamingBothAnnotations() {
    ResourceOverrides.Checked aboveDefault = check(Map.of(InjectionKeys.MEMORY_REQUEST, "512Mi"));
    assertThat(aboveDefault.problems()).singleElement().asString()
        .contains(InjectionKeys.MEMORY_REQUEST, "512Mi", "384Mi", "StiggSidecar", InjectionKeys.MEMORY_LIMIT);

    ResourceOverrides.Checked bothGiven = check(Map.of(InjectionKeys.CPU_REQUEST, "2", InjectionKeys.CPU_LIMIT, "1",
        InjectionKeys.MEMORY_REQUEST, "1Gi", InjectionKeys.MEMORY_LIMIT, "512Mi"));
    assertThat(bothGiven.problems()).hasSize(2)
        .anySatisfy(problem -> assertThat(problem)
            .contains(InjectionKeys.CPU_REQUEST, "annotation " + InjectionKeys.CPU_LIMIT))
        .anySatisfy(problem -> assertThat(problem).contains(InjectionKeys.MEMORY_REQUEST, "1Gi", "512Mi"));
  }

  @Test
  void withoutAConfiguredLimitAnyRequestIsAccepted() {
    Overrides overrides = Overrides.parse(Map.of(InjectionKeys.CPU_REQUEST, "4")).overrides();
    ResourceOverrides.Checked checked = ResourceOverrides.check(CONFIGURED, overrides);
    assertThat(checked.valid()).isTrue();
    assertThat(checked.overrides().cpuRequest()).isEqualTo(Optional.of("4"));
  }

  private static Container sidecarOf(Overrides overrides) {
    var pod = new PodBuilder().withNewMetadata().withName("checkout").withNamespace("shop").endMetadata()
        .withNewSpec().withContainers(new ContainerBuilder().withName("app").withImage("app:1").build()).endSpec()
        .build();
    return PodMutator.mutate(pod, PodMutatorTest.spec(), false, overrides).getSpec().getContainers().stream()
        .filter(PodMutator::isSidecar).findFirst().orElseThrow();
  }
}
