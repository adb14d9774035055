package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the resource's namespace. Secrets are referenced, never copied. */
public record SecretKeyRef(
    @Required @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the same namespace.")
    String name,
    @Required @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key within the Secret.")
    String key) {}
