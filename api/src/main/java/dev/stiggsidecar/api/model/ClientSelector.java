package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Pods allowed to call the standalone sidecars, in NetworkPolicy's terms: both selectors must
 * match when both are given; a namespace selector alone admits every pod of those namespaces.
 */
@ValidationRule(value = "has(self.podSelector) || has(self.namespaceSelector)",
    message = "set podSelector, namespaceSelector or both: an empty entry would admit nothing or everything")
public record ClientSelector(
    @JsonPropertyDescription("Pods, by label; in this namespace unless namespaceSelector is set.")
    LabelSelector podSelector,
    @JsonPropertyDescription("Namespaces, by label; with podSelector, only the matching pods there.")
    LabelSelector namespaceSelector) {}
