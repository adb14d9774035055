package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator observed; written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StiggSidecarStatus(
    @JsonPropertyDescription("Generation of the spec this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("Ready, ConfigReady, RedisReady, PersistentCacheReady, StandaloneReady.")
    List<Condition> conditions,
    @JsonPropertyDescription("Hash of the rendered sidecar configuration; injected pods carry it.")
    String configHash,
    @JsonPropertyDescription("Cache in effect: memory, redis-managed or redis-external.")
    String cache,
    @JsonPropertyDescription("Injected pods, current and outdated.")
    InjectedPods injectedPods,
    @JsonPropertyDescription("When the operator last restarted a workload to refresh its sidecars.")
    String lastRolloutTime) {

  public StiggSidecarStatus withLastRolloutTime(String time) {
    return new StiggSidecarStatus(observedGeneration, conditions, configHash, cache, injectedPods, time);
  }
}
