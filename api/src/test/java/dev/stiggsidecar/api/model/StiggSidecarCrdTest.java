package dev.stiggsidecar.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD in {@code crds/} is what the build generates from the Java model, and validates what it can. */
class StiggSidecarCrdTest {

  private static final Path GENERATED = Path.of(System.getProperty("generated.crd"));
  private static final Path CHECKED_IN = Path.of(System.getProperty("checked.in.crd"));

  @Test
  void checkedInCrdIsTheGeneratedOne() throws IOException {
    assertThat(Files.readString(CHECKED_IN))
        .as("crds/ is stale: the Java model changed. Run `mvn -pl api process-classes` and copy %s to %s",
            GENERATED, CHECKED_IN)
        .isEqualTo(Files.readString(GENERATED));
  }

  @Test
  void schemaNamesTheResourceAndRejectsBadSpecsAtApplyTime() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CHECKED_IN), CustomResourceDefinition.class);
    assertThat(crd.getSpec().getGroup()).isEqualTo("sidecar.stigg.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("stiggsidecars");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ssc");
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName())
        .containsExactlyInAnyOrder("Ready", "Cache", "Injected pods", "Age");

    JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getRequired()).containsExactly("apiKeySecretRef");
    assertThat(spec.getProperties().get("grpcPort").getMinimum()).isEqualTo(1024.0);
    assertThat(spec.getProperties().get("logLevel").getEnum()).extracting(Object::toString)
        .containsExactlyInAnyOrder("\"error\"", "\"warn\"", "\"info\"", "\"debug\"");
    JSONSchemaProps redis = spec.getProperties().get("cache").getProperties().get("redis");
    assertThat(redis.getRequired()).containsExactly("keyPrefix");
    assertThat(redis.getXKubernetesValidations()).extracting(rule -> rule.getRule())
        .containsExactly("has(self.managed) != has(self.external)");
    assertThat(spec.getProperties().get("cache").getXKubernetesValidations()).isNotEmpty();
  }
}
