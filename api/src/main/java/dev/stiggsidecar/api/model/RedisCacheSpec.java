package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A Redis shared by the sidecars (and the persistent cache) of this resource. */
@ValidationRule(value = "has(self.managed) != has(self.external)",
    message = "set exactly one of cache.redis.managed or cache.redis.external")
public record RedisCacheSpec(
    @JsonPropertyDescription("The operator runs a Redis Deployment and Service for this resource.")
    ManagedRedisSpec managed,
    @JsonPropertyDescription("A Redis you run.")
    ExternalRedisSpec external,
    @Required @Pattern("^[A-Za-z0-9_.:-]{1,64}$")
    @JsonPropertyDescription("Key prefix (REDIS_ENVIRONMENT_PREFIX); every writer of this Redis must use the same one.")
    String keyPrefix,
    @Min(60) @Max(31_536_000)
    @JsonPropertyDescription("Lifetime of cached keys in seconds; default 604800 (7 days).")
    Integer keysTtlSeconds) {}
