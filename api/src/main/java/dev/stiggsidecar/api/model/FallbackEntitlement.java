package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The answer for one feature when Stigg cannot be reached and nothing is cached; rendered into
 * {@code ENTITLEMENTS_FALLBACK}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FallbackEntitlement(
    @JsonPropertyDescription("Whether the feature is granted. Default false.")
    Boolean hasAccess,
    @JsonPropertyDescription("Numeric feature value.")
    Integer value,
    @JsonPropertyDescription("Usage limit of a metered feature.")
    Long usageLimit,
    @JsonPropertyDescription("Whether usage is unlimited.")
    Boolean isUnlimited,
    @JsonPropertyDescription("Values of an enum feature.")
    List<String> enumValues) {}
