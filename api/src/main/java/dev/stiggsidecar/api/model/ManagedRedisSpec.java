package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** A Redis the operator runs: one replica, no persistence (the cache refills from Stigg). */
public record ManagedRedisSpec(
    @JsonPropertyDescription("Redis image; default the operator's (REDIS_IMAGE).")
    String image,
    @JsonPropertyDescription("Resources of the Redis container; default 100m/128Mi requests, 256Mi memory limit.")
    ResourceRequirements resources) {}
