package dev.stiggsidecar.stigg.upstream;

/**
 * The GraphQL documents sent to Stigg, byte for byte as Stigg's official SDK sends them (Apollo adds
 * {@code __typename} to every selection set and splits out named fragments), so that Stigg's API
 * sees the requests it already serves.
 */
public final class GraphqlDocuments {

  /** {@code EntitlementFragment} and the two fragments it uses, in the order the SDK appends them. */
  public static final String ENTITLEMENT_FRAGMENTS = """
      fragment EntitlementFragment on Entitlement {
        __typename
        isGranted
        accessDeniedReason
        customerId
        resourceId
        usageLimit
        hasUnlimitedUsage
        hasSoftLimit
        currentUsage
        requestedUsage
        requestedValues
        enumValues
        entitlementUpdatedAt
        usageUpdatedAt
        usagePeriodAnchor
        usagePeriodStart
        usagePeriodEnd
        nextResetDate
        resetPeriod
        resetPeriodConfiguration {
          ...ResetPeriodConfigurationFragment
          __typename
        }
        feature {
          ...FeatureFragment
          __typename
        }
        creditRate {
          amount
          currencyId
          __typename
        }
        validUntil
      }

      fragment ResetPeriodConfigurationFragment on ResetPeriodConfiguration {
        __typename
        ... on YearlyResetPeriodConfig {
          yearlyAccordingTo
          __typename
        }
        ... on MonthlyResetPeriodConfig {
          monthlyAccordingTo
          __typename
        }
        ... on WeeklyResetPeriodConfig {
          weeklyAccordingTo
          __typename
        }
      }

      fragment FeatureFragment on EntitlementFeature {
        __typename
        featureType
        meterType
        featureUnits
        featureUnitsPlural
        description
        displayName
        refId
        unitTransformation {
          divide
          round
          __typename
        }
      }
      """;

  public static final String GET_ENTITLEMENTS = """
      query GetEntitlements($query: FetchEntitlementsQuery!) {
        entitlements: cachedEntitlements(query: $query) {
          ...EntitlementFragment
          __typename
        }
      }

      """ + ENTITLEMENT_FRAGMENTS;

  public static final String GET_SDK_CONFIGURATION = """
      query GetSdkConfiguration {
        sdkConfiguration {
          sentryDsn
          isWidgetWatermarkEnabled
          __typename
        }
      }
      """;

  private static final String REPORT_USAGE_FRAGMENT = """
      fragment ReportUsageFragment on UsageMeasurementWithCurrentUsage {
        id
        featureId
        customerId
        resourceId
        currentUsage
        usagePeriodStart
        usagePeriodEnd
        nextResetDate
        timestamp
        __typename
      }
      """;

  public static final String REPORT_USAGE = """
      mutation ReportUsage($input: ReportUsageInput!) {
        reportUsage(input: $input) {
          ...ReportUsageFragment
          __typename
        }
      }

      """ + REPORT_USAGE_FRAGMENT;

  public static final String REPORT_USAGE_BULK = """
      mutation ReportUsageBulk($input: ReportUsageBulkInput!) {
        reportUsageBulk(input: $input) {
          ...ReportUsageFragment
          __typename
        }
      }

      """ + REPORT_USAGE_FRAGMENT;

  public static final String REPORT_EVENT = """
      mutation ReportEvent($input: UsageEventsReportInput!) {
        reportEvent(events: $input)
      }
      """;

  public static final String ON_ENTITLEMENTS_UPDATED = """
      subscription OnEntitlementsUpdated {
        entitlementsUpdated {
          ...EntitlementsUpdatedPayload
          __typename
        }
      }

      fragment EntitlementsUpdatedPayload on EntitlementsUpdated {
        customerId
        resourceId
        entitlements {
          ...EntitlementFragment
          __typename
        }
        __typename
      }

      """ + ENTITLEMENT_FRAGMENTS;

  public static final String ON_USAGE_UPDATED = """
      subscription OnUsageUpdated {
        usageUpdated {
          ...EntitlementUsageUpdated
          __typename
        }
      }

      fragment EntitlementUsageUpdated on UsageUpdated {
        usage {
          ...UsageUpdatedFragment
          __typename
        }
        entitlement {
          ...EntitlementFragment
          __typename
        }
        __typename
      }

      fragment UsageUpdatedFragment on UsageMeasurementUpdated {
        customerId
        resourceId
        featureId
        currentUsage
        usagePeriodStart
        usagePeriodEnd
        nextResetDate
        __typename
      }

      """ + ENTITLEMENT_FRAGMENTS;

  public static final String ON_PACKAGE_PUBLISHED = """
      subscription OnPackagePublished {
        packagePublished {
          ...PackagePublishedPayload
          __typename
        }
      }

      fragment PackagePublishedPayload on PackagePublished {
        accountId
        environmentId
        packageType
        packageRefId
        packageVersion
        migrationType
        __typename
      }
      """;

  public static final String ON_CREDIT_BALANCE_UPDATED = """
      subscription OnCreditBalanceUpdated {
        creditBalanceUpdated {
          ...CreditBalanceUpdatedPayload
          __typename
        }
      }

      fragment CreditBalanceUpdatedPayload on CreditBalanceUpdated {
        currency {
          currencyId
          displayName
          symbol
          units {
            singular
            plural
            __typename
          }
          __typename
        }
        currencyId
        currentBalance
        customerId
        validUntil
        resourceId
        totalConsumed
        totalGranted
        __typename
      }
      """;

  private GraphqlDocuments() {}
}
