package dev.stiggsidecar.stigg.entitlement;

/**
 * Why access is denied, in Stigg's terms. The GraphQL API spells these in PascalCase
 * ({@code NoActiveSubscription}); the gRPC contract as {@code ACCESS_DENIED_REASON_<UPPER_SNAKE>}.
 */
public enum DenialReason {
  UNKNOWN("Unknown"),
  CUSTOMER_IS_ARCHIVED("CustomerIsArchived"),
  CUSTOMER_NOT_FOUND("CustomerNotFound"),
  CUSTOMER_RESOURCE_NOT_FOUND("CustomerResourceNotFound"),
  FEATURE_NOT_FOUND("FeatureNotFound"),
  NO_ACTIVE_SUBSCRIPTION("NoActiveSubscription"),
  NO_FEATURE_ENTITLEMENT_IN_SUBSCRIPTION("NoFeatureEntitlementInSubscription"),
  REQUESTED_USAGE_EXCEEDING_LIMIT("RequestedUsageExceedingLimit"),
  BUDGET_EXCEEDED("BudgetExceeded"),
  REQUESTED_VALUES_MISMATCH("RequestedValuesMismatch"),
  FEATURE_TYPE_MISMATCH("FeatureTypeMismatch"),
  INSUFFICIENT_CREDITS("InsufficientCredits"),
  REVOKED("Revoked"),
  ENTITLEMENT_NOT_FOUND("EntitlementNotFound");

  private final String graphqlName;

  DenialReason(String graphqlName) {
    this.graphqlName = graphqlName;
  }

  public String graphqlName() {
    return graphqlName;
  }

  /** The reason for a GraphQL value; an unrecognised value is {@link #UNKNOWN}, never an error. */
  public static DenialReason fromGraphql(String name) {
    for (DenialReason reason : values()) {
      if (reason.graphqlName.equals(name)) {
        return reason;
      }
    }
    return UNKNOWN;
  }
}
