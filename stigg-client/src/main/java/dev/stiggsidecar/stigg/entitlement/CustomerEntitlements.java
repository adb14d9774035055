package dev.stiggsidecar.stigg.entitlement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything cached for one {@link EntityKey}: its entitlements, sorted by feature id for a binary
 * search, and when they were fetched. Immutable; updates (usage and credit pushes) make a copy, since
 * they are rare next to reads.
 *
 * <p>An empty set means Stigg knows no entitlements for the key, which Stigg's engine reports as
 * "customer not found": the API answers an unknown customer and one without a subscription alike.
 */
public final class CustomerEntitlements {

  private static final Entitlement[] NONE = new Entitlement[0];

  private final Entitlement[] entitlements;
  private final boolean exists;
  private final long fetchedAtNanos;
  private final int estimatedBytes;
  private final Map<String, CreditBalance> credits;

  private CustomerEntitlements(Entitlement[] sorted, boolean exists, long fetchedAtNanos,
      Map<String, CreditBalance> credits) {
    this.entitlements = sorted;
    int bytes = 64;
    for (Entitlement entitlement : sorted) {
      bytes += 4 + entitlement.estimatedBytes();
    }
    this.exists = exists;
    this.fetchedAtNanos = fetchedAtNanos;
    this.credits = credits;
    this.estimatedBytes = bytes + 64 * credits.size();
  }

  /**
   * @param entitlements as fetched; a later entitlement to the same feature replaces an earlier one
   * @param featurelessEntitlements how many entitlements came without a feature: they are not
   *     checkable, but they still mean the customer exists
   */
  public static CustomerEntitlements of(List<Entitlement> entitlements, int featurelessEntitlements,
      long fetchedAtNanos) {
    Entitlement[] sorted = entitlements.toArray(NONE);
    Arrays.sort(sorted, Comparator.comparing(entitlement -> entitlement.feature().id()));
    List<Entitlement> unique = new ArrayList<>(sorted.length);
    for (Entitlement entitlement : sorted) {
      if (!unique.isEmpty() && unique.get(unique.size() - 1).feature().id().equals(entitlement.feature().id())) {
        unique.set(unique.size() - 1, entitlement);
      } else {
        unique.add(entitlement);
      }
    }
    return new CustomerEntitlements(unique.toArray(NONE), !unique.isEmpty() || featurelessEntitlements > 0,
        fetchedAtNanos, Map.of());
  }

  /**
   * The same entitlements, found unchanged at {@code fetchedAtNanos}: a reader that compared what
   * it read with what it decoded last time keeps the decoding and takes the new time.
   */
  public CustomerEntitlements confirmedAt(long fetchedAtNanos) {
    return new CustomerEntitlements(entitlements, exists, fetchedAtNanos, credits);
  }

  /** Whether Stigg knows this customer (a non-empty entitlement list). */
  public boolean customerExists() {
    return exists;
  }

  public Optional<Entitlement> find(String featureId) {
    int index = indexOf(featureId);
    return index >= 0 ? Optional.of(entitlements[index]) : Optional.empty();
  }

  /** Binary search by feature id, straight on the entitlements: no parallel array of ids to keep. */
  private int indexOf(String featureId) {
    int low = 0;
    int high = entitlements.length - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = entitlements[middle].feature().id().compareTo(featureId);
      if (order < 0) {
        low = middle + 1;
      } else if (order > 0) {
        high = middle - 1;
      } else {
        return middle;
      }
    }
    return -1;
  }

  public List<Entitlement> all() {
    return List.of(entitlements);
  }

  public int size() {
    return entitlements.length;
  }

  /** {@link System#nanoTime()} when fetched, for the staleness bound. */
  public long fetchedAtNanos() {
    return fetchedAtNanos;
  }

  /** Whether any entitlement's {@code validUntil} has passed, which makes the whole entry stale. */
  public boolean anyExpired(long nowMillis) {
    for (Entitlement entitlement : entitlements) {
      if (entitlement.isExpired(nowMillis)) {
        return true;
      }
    }
    return false;
  }

  /** Approximate heap bytes, for the cache's size bound ({@code CACHE_MAX_SIZE_BYTES}). */
  public int estimatedBytes() {
    return estimatedBytes;
  }

  /** A copy with {@code change} applied to the entitlement of {@code featureId}; empty if not cached. */
  public Optional<CustomerEntitlements> withEntitlement(String featureId, UnaryOperator<Entitlement> change) {
    int index = indexOf(featureId);
    if (index < 0) {
      return Optional.empty();
    }
    Entitlement[] copy = entitlements.clone();
    copy[index] = change.apply(copy[index]);
    return Optional.of(new CustomerEntitlements(copy, exists, fetchedAtNanos, credits));
  }

  /** A copy with {@code change} applied to every entitlement. */
  public CustomerEntitlements withEach(UnaryOperator<Entitlement> change) {
    Entitlement[] copy = entitlements.clone();
    for (int i = 0; i < copy.length; i++) {
      copy[i] = change.apply(copy[i]);
    }
    return new CustomerEntitlements(copy, exists, fetchedAtNanos, credits);
  }

  /** The last pushed balance of {@code currencyId}, if one arrived while this entry was cached. */
  public Optional<CreditBalance> creditBalance(String currencyId) {
    return Optional.ofNullable(credits.get(currencyId));
  }

  /**
   * A copy that records {@code balance} and applies it to the entitlements priced in its currency,
   * as Stigg's engine does: at a balance of zero or less they are denied with
   * {@code INSUFFICIENT_CREDITS} (unless already denied for another reason); above zero that denial
   * is lifted. Their {@code validUntil} becomes the balance's.
   */
  public CustomerEntitlements withCreditBalance(CreditBalance balance) {
    Map<String, CreditBalance> newCredits = new HashMap<>(credits);
    newCredits.put(balance.currencyId(), balance);
    boolean exceeded = balance.currentBalance() <= 0;
    Entitlement[] copy = entitlements.clone();
    for (int i = 0; i < copy.length; i++) {
      Entitlement entitlement = copy[i];
      if (entitlement.creditRate().filter(rate -> rate.currencyId().equals(balance.currencyId())).isEmpty()) {
        continue;
      }
      Optional<DenialReason> reason = entitlement.denialReason();
      if (exceeded && reason.isEmpty()) {
        reason = Optional.of(DenialReason.INSUFFICIENT_CREDITS);
      } else if (!exceeded && reason.filter(DenialReason.INSUFFICIENT_CREDITS::equals).isPresent()) {
        reason = Optional.empty();
      }
      copy[i] = entitlement.withDenialReason(reason, balance.validUntil());
    }
    return new CustomerEntitlements(copy, exists, fetchedAtNanos, Map.copyOf(newCredits));
  }
}
