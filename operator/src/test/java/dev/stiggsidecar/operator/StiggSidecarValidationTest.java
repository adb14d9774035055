package dev.stiggsidecar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stiggsidecar.kubetest.ApiServer;
import dev.stiggsidecar.kubetest.ApiServerExtension;
import dev.stiggsidecar.kubetest.Installation;
import dev.stiggsidecar.api.model.InjectedPods;
import dev.stiggsidecar.api.model.SecretKeyRef;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarSpec;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD as the API server enforces it: every schema and CEL rule rejects its bad spec with the
 * message the README shows, good specs are stored as written (the operator, not the API server,
 * applies the documented defaults), and {@code kubectl get} shows the printer columns from the
 * status subresource, which a spec write cannot change.
 */
@ExtendWith(ApiServerExtension.class)
class StiggSidecarValidationTest {

  private static final String README = readme();
  private static final String KEY = "apiKeySecretRef: {name: stigg-api-key, key: SERVER_API_KEY}";
  private static KubernetesClient admin;
  private static String ns;

  @BeforeAll
  static void install(ApiServer server) {
    Installation.render().applyFoundations(server);
    admin = server.admin();
    ns = server.createNamespace("validation");
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("logLevel: info", "spec.apiKeySecretRef: Required value"),
        Arguments.of("apiKeySecretRef: {name: Stigg Key, key: SERVER_API_KEY}",
            "spec.apiKeySecretRef.name in body should match '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$'"),
        Arguments.of("apiKeySecretRef: {name: stigg-api-key}", "spec.apiKeySecretRef.key: Required value"),
        Arguments.of(KEY + "\n  grpcPort: 80", "spec.grpcPort in body should be greater than or equal to 1024"),
        Arguments.of(KEY + "\n  httpPort: 70000", "spec.httpPort in body should be less than or equal to 65535"),
        Arguments.of(KEY + "\n  logLevel: verbose",
            "spec.logLevel: Unsupported value: \"verbose\": supported values: \"debug\", \"error\", \"info\", \"warn\""),
        Arguments.of(KEY + "\n  imagePullPolicy: Sometimes", "spec.imagePullPolicy: Unsupported value: \"Sometimes\""),
        Arguments.of(KEY + "\n  edge: {url: 'ftp://edge.example'}",
            "spec.edge.url in body should match '^(https?|wss?)://\\S+$'"),
        Arguments.of(KEY + "\n  fallbackEntitlements: {-seats: {hasAccess: true}}",
            "fallbackEntitlements: keys are feature ids (a letter or digit, then letters, digits, _ . : -)"),
        Arguments.of(KEY + "\n  cache: {memory: {maxSizeBytes: 1000}}",
            "spec.cache.memory.maxSizeBytes in body should be greater than or equal to 1048576"),
        Arguments.of(KEY + "\n  cache: {memory: {}, redis: {managed: {}, keyPrefix: p}}",
            "set either cache.memory or cache.redis, not both"),
        Arguments.of(KEY + "\n  cache: {redis: {keyPrefix: p}}",
            "set exactly one of cache.redis.managed or cache.redis.external"),
        Arguments.of(KEY + "\n  cache: {redis: {managed: {}, external: {host: r}, keyPrefix: p}}",
            "set exactly one of cache.redis.managed or cache.redis.external"),
        Arguments.of(KEY + "\n  cache: {redis: {managed: {}}}", "spec.cache.redis.keyPrefix: Required value"),
        Arguments.of(KEY + "\n  cache: {redis: {managed: {}, keyPrefix: 'two words'}}",
            "spec.cache.redis.keyPrefix in body should match '^[A-Za-z0-9_.:-]{1,64}$'"),
        Arguments.of(KEY + "\n  cache: {redis: {managed: {}, keyPrefix: p, keysTtlSeconds: 10}}",
            "spec.cache.redis.keysTtlSeconds in body should be greater than or equal to 60"),
        Arguments.of(KEY + "\n  cache: {redis: {external: {port: 6379}, keyPrefix: p}}",
            "spec.cache.redis.external.host: Required value"),
        Arguments.of(KEY + "\n  cache: {redis: {external: {host: ''}, keyPrefix: p}}",
            "spec.cache.redis.external.host in body should match '^\\S+$'"),
        Arguments.of(KEY + "\n  cache: {redis: {external: {host: r, port: 70000}, keyPrefix: p}}",
            "spec.cache.redis.external.port in body should be less than or equal to 65535"),
        Arguments.of(KEY + "\n  cache: {redis: {external: {host: r, db: 16}, keyPrefix: p}}",
            "spec.cache.redis.external.db in body should be less than or equal to 15"),
        Arguments.of(KEY + "\n  persistentCache: {enabled: true}",
            "persistentCache.enabled needs cache.redis (managed or external): the persistent cache only writes to a shared Redis"),
        Arguments.of(KEY + "\n  cache: {redis: {managed: {}, keyPrefix: p}}\n  persistentCache: {enabled: true, replicas: 4}",
            "spec.persistentCache.replicas in body should be less than or equal to 3"),
        Arguments.of(KEY + "\n  standalone: {enabled: true, replicas: 0}",
            "spec.standalone.replicas in body should be greater than or equal to 1"),
        Arguments.of(KEY + "\n  injection: {nativeSidecar: Maybe}",
            "spec.injection.nativeSidecar: Unsupported value: \"Maybe\": supported values: \"Always\", \"Auto\", \"Never\""),
        Arguments.of(KEY + "\n  injection: {rollout: Always}",
            "spec.injection.rollout: Unsupported value: \"Always\": supported values: \"Never\", \"Restart\""),
        Arguments.of(KEY + "\n  injection: {hostEnvName: 1HOST}",
            "spec.injection.hostEnvName in body should match '^[A-Za-z_][A-Za-z0-9_]*$'"),
        Arguments.of(KEY + "\n  jvmOptions: 'Xmx64m'",
            "spec.jvmOptions in body should match '^-\\S+( -\\S+)*$'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badSpecs")
  void theApiServerRejectsABadSpecWithTheMessageTheReadmeShows(String spec, String message) {
    // Sent as written, untyped: a typed client would refuse an unknown enum value before the API server sees it.
    GenericKubernetesResource bad = Serialization.unmarshal(yaml("bad", spec), GenericKubernetesResource.class);
    assertThatThrownBy(() -> admin.resource(bad).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getMessage()).contains(message);
        });
    assertThat(README).as("README.md shows the message").contains(message);
  }

  @Test
  void goodSpecsAreStoredAsWrittenWithoutServerDefaults() throws IOException {
    StiggSidecar minimal = admin.resource(resource("minimal", KEY)).create();
    assertThat(minimal.getSpec()).isEqualTo(new StiggSidecarSpec(null, null,
        new SecretKeyRef("stigg-api-key", "SERVER_API_KEY"), null, null, null, null, null, null, null, null, null,
        null, null, null, null, null));
    StiggSidecar tuned = admin.resource(
        resource("tuned", KEY + "\n  jvmOptions: -XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20")).create();
    assertThat(tuned.getSpec().jvmOptions()).isEqualTo("-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20");

    StiggSidecar example = Serialization.unmarshal(
        Files.readString(Path.of(System.getProperty("manifests.dir"), "examples", "stiggsidecar.yaml")), StiggSidecar.class);
    example.getMetadata().setNamespace(ns);
    StiggSidecar stored = admin.resource(example).create();
    assertThat(stored.getSpec()).isEqualTo(example.getSpec());
  }

  @Test
  void kubectlShowsThePrinterColumnsFromTheStatusSubresourceWhichSpecWritesCannotChange(ApiServer server)
      throws Exception {
    StiggSidecar created = admin.resource(resource("columns", KEY)).create();
    Condition ready = new ConditionBuilder().withType("Ready").withStatus("True").withReason("AllReady")
        .withMessage("ok").withLastTransitionTime("2026-12-01T00:00:00Z").build();
    created.setStatus(new StiggSidecarStatus(1L, List.of(ready), "abc", "memory", new InjectedPods(3, 2, 1), null));
    admin.resource(created).updateStatus();

    // A write of the whole object (as `kubectl apply` does) leaves the status alone.
    StiggSidecar edited = admin.resources(StiggSidecar.class).inNamespace(ns).withName("columns").get();
    edited.setStatus(new StiggSidecarStatus(9L, List.of(), "forged", "redis-managed", new InjectedPods(0, 0, 0), null));
    admin.resource(edited).update();
    assertThat(admin.resources(StiggSidecar.class).inNamespace(ns).withName("columns").get().getStatus().configHash())
        .isEqualTo("abc");

    ApiServer.KubectlRun get = server.kubectl("-n", ns, "get", "ssc", "columns");
    String table = get.output();
    assertThat(get.exitCode()).as(table).isZero();
    assertThat(table.lines().toList()).as(table).hasSize(2);
    assertThat(table.lines().findFirst().orElseThrow().split("\\s{2,}"))
        .containsExactly("NAME", "AGE", "CACHE", "READY", "INJECTED PODS");
    assertThat(table.lines().skip(1).findFirst().orElseThrow().split("\\s+")).startsWith("columns")
        .endsWith("memory", "True", "3");
  }

  private static StiggSidecar resource(String name, String spec) {
    return Serialization.unmarshal(yaml(name, spec), StiggSidecar.class);
  }

  private static String yaml(String name, String spec) {
    return """
        apiVersion: sidecar.stigg.io/v1alpha1
        kind: StiggSidecar
        metadata: {name: %s, namespace: %s}
        spec:
          %s
        """.formatted(name, ns, spec);
  }

  private static String readme() {
    try {
      // As rendered: a table cell escapes "|" as "\|".
      return Files.readString(Path.of(System.getProperty("manifests.dir"), "..", "README.md")).replace("\\|", "|");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
