package dev.stiggsidecar.stigg.entitlement;

/**
 * Which anchor a reset period follows, kept as Stigg sends it (for example
 * {@code {"__typename":"MonthlyResetPeriodConfig","monthlyAccordingTo":"SubscriptionStart"}}) so that
 * it can be written back unchanged.
 *
 * @param typename the GraphQL {@code __typename}
 * @param field the one field the configuration carries, e.g. {@code monthlyAccordingTo}
 * @param value its value, e.g. {@code SubscriptionStart}
 */
public record ResetConfiguration(String typename, String field, String value) {}
