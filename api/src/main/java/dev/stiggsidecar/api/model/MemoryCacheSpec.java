package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The sidecar's own in-memory cache. */
public record MemoryCacheSpec(
    @Min(1_048_576)
    @JsonPropertyDescription("Bound of the cache in estimated bytes; default half the sidecar's heap.")
    Long maxSizeBytes) {}
