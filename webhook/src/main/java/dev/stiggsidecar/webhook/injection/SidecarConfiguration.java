package dev.stiggsidecar.webhook.injection;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.InvalidSpecException;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.pod.ConfigHash;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration a pod is injected with: its {@code StiggSidecar}, selected and validated.
 *
 * <p>It comes from the informer cache, which may lag the API server by a moment. That matters in
 * one case: the operator restarts a workload right after it sees a new spec, and the restarted
 * pods reach this replica before the new spec does. Such pods say which configuration they were
 * restarted for ({@code sidecar.stigg.io/restarted-for-config-hash}); when the cache has another,
 * the resource is read from the API server instead, so a restart never brings back the
 * configuration it was meant to replace.
 */
public final class SidecarConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SidecarConfiguration.class);

  /** The outcome for one pod. */
  public sealed interface Result {

    /** Inject with this spec; {@code warning} when the operator expected another configuration. */
    record Usable(EffectiveSpec spec, String configHash, Optional<String> warning) implements Result {}

    /** Admit without a sidecar, for {@code reason} (metric reason {@code code}). */
    record Unusable(String code, String reason) implements Result {}
  }

  private final StiggSidecarLookup lookup;
  private final OperatorDefaults defaults;

  public SidecarConfiguration(StiggSidecarLookup lookup, OperatorDefaults defaults) {
    this.lookup = lookup;
    this.defaults = defaults;
  }

  /**
   * @param requested the name the pod asks for, if any
   * @param restartedFor the configuration hash the operator restarted the pod's workload for, if any
   */
  public Result forPod(String namespace, Optional<String> requested, Optional<String> restartedFor) {
    Result cached = resolve(lookup.inNamespace(namespace), namespace, requested);
    if (restartedFor.isEmpty() || hashOf(cached).equals(restartedFor)) {
      return cached;
    }
    Result fresh;
    try {
      fresh = resolve(lookup.inNamespaceFromServer(namespace), namespace, requested);
    } catch (KubernetesClientException e) {
      log.warn("namespace {}: a pod restarted for configuration {} found {} in the cache, and the API server "
          + "could not be read ({}); injecting what the cache has", namespace, restartedFor.get(),
          hashOf(cached).orElse("none"), e.getMessage());
      return cached;
    }
    if (hashOf(fresh).equals(restartedFor)) {
      log.info("namespace {}: the cache had configuration {}, the pod was restarted for {}; read it from the API server",
          namespace, hashOf(cached).orElse("none"), restartedFor.get());
      return fresh;
    }
    if (fresh instanceof Result.Usable usable) {
      String warning = "stigg-sidecar injected with configuration " + usable.configHash() + ", but the operator "
          + "restarted this pod for " + restartedFor.get() + ": the operator and the webhook render the sidecar "
          + "differently; run both at the same version with the same SIDECAR_IMAGE";
      log.warn("namespace {}: {}", namespace, warning);
      return new Result.Usable(usable.spec(), usable.configHash(), Optional.of(warning));
    }
    return fresh;
  }

  private Result resolve(List<StiggSidecar> candidates, String namespace, Optional<String> requested) {
    ConfigSelection.Result selection = ConfigSelection.select(candidates, lookup.where(namespace), requested);
    if (selection instanceof ConfigSelection.Result.Missing missing) {
      return new Result.Unusable("config_missing", missing.reason());
    }
    StiggSidecar resource = ((ConfigSelection.Result.Found) selection).resource();
    try {
      EffectiveSpec spec = EffectiveSpec.of(resource, defaults);
      return new Result.Usable(spec, ConfigHash.of(spec), Optional.empty());
    } catch (InvalidSpecException invalid) {
      return new Result.Unusable("config_invalid", "StiggSidecar " + resource.getMetadata().getName()
          + " is invalid: " + String.join("; ", invalid.problems()));
    }
  }

  private static Optional<String> hashOf(Result result) {
    return result instanceof Result.Usable usable ? Optional.of(usable.configHash()) : Optional.empty();
  }
}
