package dev.stiggsidecar.stigg.upstream;

import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import java.util.concurrent.CompletableFuture;

/** Where a cache gets entitlements it does not have: Stigg's API ({@link StiggApiClient}), or a test's hand. */
@FunctionalInterface
public interface EntitlementFetcher {

  /**
   * @param viaGraphql ask the GraphQL API rather than Edge (Edge's answers may lag a change by a
   *     moment; {@code ReloadEntitlements} wants the latest)
   * @return the entitlements, or a failure with an {@link UpstreamException}
   */
  CompletableFuture<CustomerEntitlements> fetchEntitlements(EntityKey key, boolean viaGraphql);
}
