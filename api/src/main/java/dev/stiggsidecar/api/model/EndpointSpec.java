package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** An optional Stigg endpoint: whether to use it and where it is. */
public record EndpointSpec(
    @JsonPropertyDescription("Use this endpoint. Default true.")
    Boolean enabled,
    @Pattern("^(https?|wss?)://\\S+$")
    @JsonPropertyDescription("Override of the endpoint's URL; default Stigg's.")
    String url) {}
