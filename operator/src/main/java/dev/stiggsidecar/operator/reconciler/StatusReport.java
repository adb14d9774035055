package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.operator.dependents.Workloads;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.EffectiveSpec.ExternalRedis;
import dev.stiggsidecar.api.model.EffectiveSpec.RedisCache;
import dev.stiggsidecar.api.model.InvalidSpecException;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Observes what exists and writes the truth about it: one condition per owned part, {@code Ready}
 * only when every part is, and a message that says what to do when something is missing.
 */
final class StatusReport {

  private final Clock clock;

  StatusReport(Clock clock) {
    this.clock = clock;
  }

  StiggSidecarStatus invalid(StiggSidecar resource, InvalidSpecException problem) {
    Conditions conditions = conditions(resource);
    String message = "invalid spec: " + String.join("; ", problem.problems());
    conditions.set(Conditions.CONFIG_READY, "False", "InvalidSpec", message)
        .set(Conditions.READY, "False", "InvalidSpec", message);
    StiggSidecarStatus previous = resource.getStatus();
    return new StiggSidecarStatus(resource.getMetadata().getGeneration(), conditions.list(),
        previous == null ? null : previous.configHash(), previous == null ? null : previous.cache(),
        previous == null ? null : previous.injectedPods(), previous == null ? null : previous.lastRolloutTime());
  }

  /**
   * Reconciliation failed (an owned object could not be written, the API server refused a
   * request): {@code Ready} says so with the cause, the other conditions keep what was last
   * observed, and the operator retries with backoff.
   */
  StiggSidecarStatus failed(StiggSidecar resource, Exception problem) {
    StiggSidecarStatus previous = resource.getStatus();
    Conditions conditions = conditions(resource);
    if (previous != null && previous.conditions() != null) {
      previous.conditions().stream().filter(c -> !Conditions.READY.equals(c.getType()))
          .forEach(c -> conditions.set(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    }
    conditions.set(Conditions.READY, "False", "ReconcileError",
        "reconciliation failed, retrying with backoff: " + cause(problem));
    return new StiggSidecarStatus(resource.getMetadata().getGeneration(), conditions.list(),
        previous == null ? null : previous.configHash(), previous == null ? null : previous.cache(),
        previous == null ? null : previous.injectedPods(), previous == null ? null : previous.lastRolloutTime());
  }

  /**
   * What failed, on one line and short enough for a condition: for each owned object that could
   * not be written, its name and the API server's own message.
   */
  private static String cause(Exception problem) {
    Throwable aggregated = problem;
    while (aggregated != null && !(aggregated instanceof AggregatedOperatorException)) {
      aggregated = aggregated.getCause();
    }
    String message = aggregated instanceof AggregatedOperatorException workflow
        ? workflow.getAggregatedExceptions().entrySet().stream()
            .map(failed -> failed.getKey() + ": " + apiServerMessage(failed.getValue()))
            .collect(Collectors.joining("; "))
        : apiServerMessage(problem);
    message = message.replaceAll("\\s+", " ").strip();
    return message.length() <= 500 ? message : message.substring(0, 497) + "...";
  }

  /** The API server's message when it refused a request, else the innermost exception's. */
  private static String apiServerMessage(Throwable problem) {
    for (Throwable cause = problem; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException refused && refused.getStatus() != null
          && refused.getStatus().getMessage() != null) {
        return refused.getStatus().getMessage();
      }
      if (cause.getCause() == null || cause.getCause() == cause) {
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
      }
    }
    return String.valueOf(problem);
  }

  StiggSidecarStatus observe(StiggSidecar resource, EffectiveSpec spec, String configHash, InjectedPodScan pods,
      Context<StiggSidecar> context) {
    Conditions conditions = conditions(resource);
    KubernetesClient client = context.getClient();

    Optional<String> keyProblem = apiKeyProblem(client, spec);
    conditions.set(Conditions.CONFIG_READY, keyProblem.isEmpty() ? "True" : "False",
        keyProblem.isEmpty() ? "Rendered" : "ApiKeySecretMissing",
        keyProblem.orElse("ConfigMap " + StiggSidecarResources.configMapName(spec.name()) + " holds configuration " + configHash));

    redisCondition(conditions, spec, context);
    deploymentCondition(conditions, Conditions.PERSISTENT_CACHE_READY, spec.persistentCache().isPresent(),
        spec.persistentCache().map(c -> c.replicas()).orElse(0),
        StiggSidecarResources.persistentCacheName(spec.name()), context,
        spec.managedRedis().isPresent() && !"True".equals(conditions.status(Conditions.REDIS_READY)));
    deploymentCondition(conditions, Conditions.STANDALONE_READY, spec.standalone().isPresent(),
        spec.standalone().map(s -> s.replicas()).orElse(0),
        StiggSidecarResources.standaloneName(spec.name()), context, false);

    List<String> notReady = List.of(Conditions.CONFIG_READY, Conditions.REDIS_READY,
            Conditions.PERSISTENT_CACHE_READY, Conditions.STANDALONE_READY).stream()
        .filter(type -> "False".equals(conditions.status(type)))
        .toList();
    if (notReady.isEmpty()) {
      conditions.set(Conditions.READY, "True", "AllReady", "configuration " + configHash + " is deployed");
    } else if (keyProblem.isPresent()) {
      conditions.set(Conditions.READY, "False", "ApiKeySecretMissing", keyProblem.get());
    } else {
      conditions.set(Conditions.READY, "False", "NotReady", "waiting for " + String.join(", ", notReady));
    }
    StiggSidecarStatus previous = resource.getStatus();
    return new StiggSidecarStatus(resource.getMetadata().getGeneration(), conditions.list(), configHash,
        spec.cacheKind(), pods.counts(),
        previous == null ? null : previous.lastRolloutTime());
  }

  private Conditions conditions(StiggSidecar resource) {
    return new Conditions(resource.getStatus() == null ? null : resource.getStatus().conditions(),
        resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration(), clock);
  }

  /** Looks the API key Secret up directly (get only; Secrets are not watched or cached). */
  private static Optional<String> apiKeyProblem(KubernetesClient client, EffectiveSpec spec) {
    String name = spec.apiKey().name();
    String key = spec.apiKey().key();
    Secret secret = client.secrets().inNamespace(spec.namespace()).withName(name).get();
    String create = "kubectl -n " + spec.namespace() + " create secret generic " + name + " --from-literal="
        + key + "=<your Stigg server API key>";
    if (secret == null) {
      return Optional.of("Secret " + name + " not found in namespace " + spec.namespace() + "; create it: " + create);
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
    if (!data.containsKey(key) && !stringData.containsKey(key)) {
      return Optional.of("Secret " + name + " has no key " + key + "; add it or set spec.apiKeySecretRef.key (" + create + ")");
    }
    return Optional.empty();
  }

  private static void redisCondition(Conditions conditions, EffectiveSpec spec, Context<StiggSidecar> context) {
    if (!(spec.cache() instanceof RedisCache redis)) {
      conditions.set(Conditions.REDIS_READY, "True", "NotRequired", "in-memory cache; no Redis");
    } else if (redis.target() instanceof ExternalRedis external) {
      conditions.set(Conditions.REDIS_READY, "Unknown", "External",
          "external Redis " + external.host() + ":" + external.port() + " is not probed by the operator; "
              + "sidecars report it on /readyz");
    } else {
      int ready = Workloads.readyReplicas(Workloads.deployment(context, StiggSidecarResources.redisName(spec.name())));
      conditions.set(Conditions.REDIS_READY, ready > 0 ? "True" : "False", ready > 0 ? "Available" : "Starting",
          ready > 0 ? "managed Redis is ready" : "managed Redis has no ready replica yet");
    }
  }

  private static void deploymentCondition(Conditions conditions, String type, boolean enabled, int replicas,
      String name, Context<StiggSidecar> context, boolean waitingForRedis) {
    if (!enabled) {
      conditions.set(type, "True", "Disabled", "not enabled");
      return;
    }
    if (waitingForRedis && Workloads.deployment(context, name).isEmpty()) {
      conditions.set(type, "False", "WaitingForRedis", "created once the managed Redis is ready");
      return;
    }
    int ready = Workloads.readyReplicas(Workloads.deployment(context, name));
    boolean available = ready >= replicas;
    conditions.set(type, available ? "True" : "False", available ? "Available" : "Starting",
        ready + "/" + replicas + " replicas of " + name + " ready");
  }
}
