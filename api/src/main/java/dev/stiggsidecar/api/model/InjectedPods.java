package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Pods carrying a sidecar injected from this resource, by whether their configuration is current. */
public record InjectedPods(
    @JsonPropertyDescription("Injected pods.") int total,
    @JsonPropertyDescription("Pods injected with the current configHash.") int upToDate,
    @JsonPropertyDescription("Pods injected with an older configHash; they change on restart.") int outdated) {}
