package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The service that keeps the shared Redis fresh from Stigg's real-time stream. */
public record PersistentCacheSpec(
    @JsonPropertyDescription("Run it. Requires cache.redis. Default false.")
    Boolean enabled,
    @Min(1) @Max(3)
    @JsonPropertyDescription("Replicas; writes are idempotent, a second replica only adds availability. Default 1.")
    Integer replicas,
    @JsonPropertyDescription("Image; default the operator's (PERSISTENT_CACHE_IMAGE).")
    String image,
    @JsonPropertyDescription("Resources; default 100m/256Mi requests, 512Mi memory limit.")
    ResourceRequirements resources) {}
