package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** Sidecars as a Deployment behind a Service, for applications that cannot take an injected one. */
public record StandaloneSpec(
    @JsonPropertyDescription("Run the standalone Deployment, Service and PodDisruptionBudget. Default false.")
    Boolean enabled,
    @Min(1) @Max(50)
    @JsonPropertyDescription("Replicas; default 2.")
    Integer replicas,
    @JsonPropertyDescription("Pods allowed to call the standalone sidecars' gRPC port besides this namespace's own "
        + "(NetworkPolicy). Default none.")
    List<ClientSelector> allowedClients) {}
