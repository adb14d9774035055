package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where sidecars keep entitlements: each in its own memory (default), or a shared Redis. */
@ValidationRule(value = "!(has(self.memory) && has(self.redis))",
    message = "set either cache.memory or cache.redis, not both")
public record CacheSpec(
    @JsonPropertyDescription("In-memory cache (the default when cache is empty).")
    MemoryCacheSpec memory,
    @JsonPropertyDescription("Shared Redis cache, run by the operator (managed) or yours (external).")
    RedisCacheSpec redis) {}
