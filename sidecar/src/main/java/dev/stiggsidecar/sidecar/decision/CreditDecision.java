package dev.stiggsidecar.sidecar.decision;

import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.DenialReason;
import java.util.Optional;

/**
 * The answer to a credit check ({@code GetEntitlementV2} with a currency).
 *
 * @param balance the balance it was decided from, when one has been pushed
 */
public record CreditDecision(boolean hasAccess, Optional<DenialReason> reason, Optional<CreditBalance> balance) {}
