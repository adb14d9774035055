package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Redis outside the operator's care. */
public record ExternalRedisSpec(
    @Required
    @Pattern("^\\S+$")
    @JsonPropertyDescription("Host name or address.")
    String host,
    @Min(1) @Max(65535)
    @JsonPropertyDescription("Port; default 6379.")
    Integer port,
    @Min(0) @Max(15)
    @JsonPropertyDescription("Database number; default 0.")
    Integer db,
    @JsonPropertyDescription("Connect over TLS. Default false.")
    Boolean tls,
    @JsonPropertyDescription("ACL user name, if any.")
    String username,
    @JsonPropertyDescription("Secret key holding the Redis password, if any.")
    SecretKeyRef passwordSecretRef) {}
