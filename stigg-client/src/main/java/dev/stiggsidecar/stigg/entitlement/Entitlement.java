package dev.stiggsidecar.stigg.entitlement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer's entitlement to one feature, as Stigg computed it. Immutable and deliberately
 * compact, since a sidecar may cache millions. It comes in two forms:
 *
 * <ul>
 *   <li>{@link Terms}, an entitlement without usage (48 bytes): the feature, its limit, flags,
 *       dates and denial. Most of these are the same for thousands of customers on one plan, and
 *       {@link FeatureCatalog#intern(Entitlement)} hands them all one instance;
 *   <li>{@link WithUsage} (32 bytes): shared terms, plus the customer's current usage and a
 *       reference to a shared {@link UsageWindow}. Usage is the customer's own, so this small object
 *       is all that a metered entitlement costs per customer.
 * </ul>
 *
 * <p>"No limit" is {@code NaN} and "no date" is {@link #NO_DATE} rather than boxed values.
 */
public abstract sealed class Entitlement {

  /** Epoch milliseconds that stand for "no date", here and in every date of the entitlement model. */
  public static final long NO_DATE = Long.MIN_VALUE;

  private static final byte UNLIMITED = 1;
  private static final byte SOFT_LIMIT = 2;
  private static final byte NO_REASON = -1;
  private static final DenialReason[] REASONS = DenialReason.values();

  private Entitlement() {}

  public static Builder builder(Feature feature) {
    return new Builder(feature);
  }

  /** The entitlement without its usage: itself, or the shared terms that its usage counts against. */
  abstract Terms terms();

  /** The same entitlement with {@code shared} (equal to its terms) as its terms. */
  abstract Entitlement withTerms(Terms shared);

  public final Feature feature() {
    return terms().feature;
  }

  public final boolean hasUsageLimit() {
    return !Double.isNaN(terms().usageLimit);
  }

  /** The limit, or {@code NaN} when Stigg sent none. */
  public final double usageLimit() {
    return terms().usageLimit;
  }

  public final boolean hasUnlimitedUsage() {
    return (terms().flags & UNLIMITED) != 0;
  }

  public final boolean hasSoftLimit() {
    return (terms().flags & SOFT_LIMIT) != 0;
  }

  /** Stigg's pre-computed denial (cancelled subscription, insufficient credits, ...), if any. */
  public final Optional<DenialReason> denialReason() {
    byte reason = terms().denialReason;
    return reason == NO_REASON ? Optional.empty() : Optional.of(REASONS[reason]);
  }

  public final List<String> enumValues() {
    return terms().enumValues;
  }

  public final boolean allowsEnumValue(String value) {
    return terms().enumValues.contains(value);
  }

  /** Epoch milliseconds after which the entitlement must be refetched, or {@link #NO_DATE}. */
  public final long validUntil() {
    return terms().validUntil;
  }

  public final boolean isExpired(long nowMillis) {
    long validUntil = terms().validUntil;
    return validUntil != NO_DATE && validUntil <= nowMillis;
  }

  public final Optional<CreditRate> creditRate() {
    return Optional.ofNullable(terms().creditRate);
  }

  /** Whether the entitlement carries usage: metered features, and numbers that came with usage. */
  public abstract boolean hasUsage();

  /** The usage counted in the current window; 0 without usage. */
  public abstract double currentUsage();

  /** The window the usage counts in; present exactly when {@link #hasUsage()}. */
  public abstract Optional<UsageWindow> usageWindow();

  public final Entitlement withUsage(double newCurrentUsage, UsageWindow window) {
    return new WithUsage(terms(), newCurrentUsage, window);
  }

  /**
   * This entitlement as of {@code nowMillis}: itself while its usage window is open (or without
   * usage); once the window has ended, zero usage in the window that contains now (see
   * {@link UsageWindow#rolledOver}).
   */
  public abstract Entitlement rolledOver(long nowMillis);

  public abstract Entitlement withDenialReason(Optional<DenialReason> reason, long newValidUntil);

  /** A rough count of the heap bytes this entitlement holds beyond what the catalogue shares. */
  abstract int estimatedBytes();

  private static byte ordinal(DenialReason reason) {
    return reason == null ? NO_REASON : (byte) reason.ordinal();
  }

  /**
   * An entitlement without usage, which is also the terms an entitlement with usage counts against.
   * Value equality, so that {@link FeatureCatalog} can intern it: features, enum value lists and
   * credit rates are shared themselves, which makes most comparisons identity checks.
   */
  static final class Terms extends Entitlement {
    private final Feature feature;
    private final double usageLimit;
    private final long validUntil;
    private final List<String> enumValues;
    private final CreditRate creditRate;
    private final byte flags;
    /** The denial reason's ordinal, or {@link #NO_REASON}: a byte keeps the object at 48 bytes. */
    private final byte denialReason;

    private Terms(Feature feature, double usageLimit, long validUntil, List<String> enumValues, byte denialReason,
        CreditRate creditRate, byte flags) {
      this.feature = Objects.requireNonNull(feature, "feature");
      this.usageLimit = usageLimit;
      this.validUntil = validUntil;
      this.enumValues = enumValues;
      this.denialReason = denialReason;
      this.creditRate = creditRate;
      this.flags = flags;
    }

    @Override
    Terms terms() {
      return this;
    }

    @Override
    Entitlement withTerms(Terms shared) {
      return shared;
    }

    @Override
    public boolean hasUsage() {
      return false;
    }

    @Override
    public double currentUsage() {
      return 0;
    }

    @Override
    public Optional<UsageWindow> usageWindow() {
      return Optional.empty();
    }

    @Override
    public Entitlement rolledOver(long nowMillis) {
      return this;
    }

    @Override
    public Terms withDenialReason(Optional<DenialReason> reason, long newValidUntil) {
      return new Terms(feature, usageLimit, newValidUntil, enumValues, ordinal(reason.orElse(null)), creditRate, flags);
    }

    @Override
    int estimatedBytes() {
      return 48;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      return other instanceof Terms that
          && flags == that.flags
          && denialReason == that.denialReason
          && validUntil == that.validUntil
          && Double.doubleToLongBits(usageLimit) == Double.doubleToLongBits(that.usageLimit)
          && feature.equals(that.feature)
          && enumValues.equals(that.enumValues)
          && Objects.equals(creditRate, that.creditRate);
    }

    @Override
    public int hashCode() {
      int hash = feature.hashCode();
      hash = 31 * hash + Double.hashCode(usageLimit);
      hash = 31 * hash + Long.hashCode(validUntil);
      hash = 31 * hash + enumValues.hashCode();
      hash = 31 * hash + Objects.hashCode(creditRate);
      return 31 * hash + flags * 37 + denialReason;
    }
  }

  /** Terms plus the customer's own usage in a (shared) window. */
  static final class WithUsage extends Entitlement {
    private final Terms terms;
    private final double currentUsage;
    private final UsageWindow window;

    private WithUsage(Terms terms, double currentUsage, UsageWindow window) {
      this.terms = terms;
      this.currentUsage = currentUsage;
      this.window = Objects.requireNonNull(window, "window");
    }

    @Override
    Terms terms() {
      return terms;
    }

    @Override
    Entitlement withTerms(Terms shared) {
      return shared == terms ? this : new WithUsage(shared, currentUsage, window);
    }

    @Override
    public boolean hasUsage() {
      return true;
    }

    @Override
    public double currentUsage() {
      return currentUsage;
    }

    @Override
    public Optional<UsageWindow> usageWindow() {
      return Optional.of(window);
    }

    @Override
    public Entitlement rolledOver(long nowMillis) {
      return window.hasEndedBy(nowMillis) ? new WithUsage(terms, 0, window.rolledOver(nowMillis)) : this;
    }

    @Override
    public WithUsage withDenialReason(Optional<DenialReason> reason, long newValidUntil) {
      return new WithUsage(terms.withDenialReason(reason, newValidUntil), currentUsage, window);
    }

    /** Itself, and its window as if it were its own (windows are often shared, so this errs high). */
    @Override
    int estimatedBytes() {
      return 32 + 48;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      return other instanceof WithUsage that
          && Double.doubleToLongBits(currentUsage) == Double.doubleToLongBits(that.currentUsage)
          && terms.equals(that.terms)
          && window.equals(that.window);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * terms.hashCode() + Double.hashCode(currentUsage)) + window.hashCode();
    }
  }

  /** Builds an entitlement; unset numbers and dates mean "none". */
  public static final class Builder {
    private final Feature feature;
    private double usageLimit = Double.NaN;
    private long validUntil = NO_DATE;
    private List<String> enumValues = List.of();
    private byte denialReason = NO_REASON;
    private CreditRate creditRate;
    private UsageWindow usageWindow;
    private double currentUsage;
    private byte flags;

    private Builder(Feature feature) {
      this.feature = feature;
    }

    public Builder usageLimit(double limit) {
      this.usageLimit = limit;
      return this;
    }

    public Builder unlimited(boolean unlimited) {
      flags = (byte) (unlimited ? flags | UNLIMITED : flags & ~UNLIMITED);
      return this;
    }

    public Builder softLimit(boolean softLimit) {
      flags = (byte) (softLimit ? flags | SOFT_LIMIT : flags & ~SOFT_LIMIT);
      return this;
    }

    public Builder denialReason(DenialReason reason) {
      this.denialReason = ordinal(reason);
      return this;
    }

    /** The entitled values; pass a shared (interned) list, as it is kept as given. */
    public Builder enumValues(List<String> values) {
      this.enumValues = List.copyOf(values);
      return this;
    }

    public Builder validUntil(long epochMillis) {
      this.validUntil = epochMillis;
      return this;
    }

    public Builder creditRate(CreditRate rate) {
      this.creditRate = rate;
      return this;
    }

    /** Usage counted in {@code window}; pass an interned window ({@link FeatureCatalog#intern(UsageWindow)}). */
    public Builder usage(double current, UsageWindow window) {
      this.currentUsage = current;
      this.usageWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    public Entitlement build() {
      Terms terms = new Terms(feature, usageLimit, validUntil, enumValues, denialReason, creditRate, flags);
      return usageWindow == null ? terms : new WithUsage(terms, currentUsage, usageWindow);
    }
  }
}
