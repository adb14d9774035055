package dev.stiggsidecar.stigg.entitlement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer's entitlement to one feature, as Stigg computed it. Immutable and deliberately
 * compact (56 bytes): a sidecar may cache millions. A metered entitlement holds its current usage
 * itself and refers to a shared {@link UsageWindow}, so that the customer's own part is one object.
 * "No limit" is {@code NaN} and "no date" is {@link #NO_DATE} rather than boxed values.
 */
public final class Entitlement {

  /** Epoch milliseconds that stand for "no date", here and in every date of the entitlement model. */
  public static final long NO_DATE = Long.MIN_VALUE;

  private static final byte UNLIMITED = 1;
  private static final byte SOFT_LIMIT = 2;
  private static final byte NO_REASON = -1;
  private static final DenialReason[] REASONS = DenialReason.values();

  private final Feature feature;
  private final double usageLimit;
  private final long validUntil;
  private final List<String> enumValues;
  private final CreditRate creditRate;
  /** Null unless the entitlement carries usage (metered features, numbers with usage). */
  private final UsageWindow usageWindow;
  private final double currentUsage;
  private final byte flags;
  /** The denial reason's ordinal, or {@link #NO_REASON}: a byte keeps the object at 48 bytes. */
  private final byte denialReason;

  private Entitlement(Feature feature, double usageLimit, long validUntil, List<String> enumValues,
      byte denialReason, CreditRate creditRate, UsageWindow usageWindow, double currentUsage, byte flags) {
    this.feature = Objects.requireNonNull(feature, "feature");
    this.usageLimit = usageLimit;
    this.validUntil = validUntil;
    this.enumValues = enumValues;
    this.denialReason = denialReason;
    this.creditRate = creditRate;
    this.usageWindow = usageWindow;
    this.currentUsage = usageWindow == null ? 0 : currentUsage;
    this.flags = flags;
  }

  public static Builder builder(Feature feature) {
    return new Builder(feature);
  }

  public Feature feature() {
    return feature;
  }

  public boolean hasUsageLimit() {
    return !Double.isNaN(usageLimit);
  }

  /** The limit, or {@code NaN} when Stigg sent none. */
  public double usageLimit() {
    return usageLimit;
  }

  public boolean hasUnlimitedUsage() {
    return (flags & UNLIMITED) != 0;
  }

  public boolean hasSoftLimit() {
    return (flags & SOFT_LIMIT) != 0;
  }

  /** Stigg's pre-computed denial (cancelled subscription, insufficient credits, ...), if any. */
  public Optional<DenialReason> denialReason() {
    return denialReason == NO_REASON ? Optional.empty() : Optional.of(REASONS[denialReason]);
  }

  public List<String> enumValues() {
    return enumValues;
  }

  public boolean allowsEnumValue(String value) {
    return enumValues.contains(value);
  }

  /** Epoch milliseconds after which the entitlement must be refetched, or {@link #NO_DATE}. */
  public long validUntil() {
    return validUntil;
  }

  public boolean isExpired(long nowMillis) {
    return validUntil != NO_DATE && validUntil <= nowMillis;
  }

  public Optional<CreditRate> creditRate() {
    return Optional.ofNullable(creditRate);
  }

  /** Whether the entitlement carries usage: metered features, and numbers that came with usage. */
  public boolean hasUsage() {
    return usageWindow != null;
  }

  /** The usage counted in the current window; 0 without usage. */
  public double currentUsage() {
    return currentUsage;
  }

  /** The window the usage counts in; present exactly when {@link #hasUsage()}. */
  public Optional<UsageWindow> usageWindow() {
    return Optional.ofNullable(usageWindow);
  }

  public Entitlement withUsage(double newCurrentUsage, UsageWindow window) {
    return new Entitlement(feature, usageLimit, validUntil, enumValues, denialReason, creditRate,
        Objects.requireNonNull(window, "window"), newCurrentUsage, flags);
  }

  /**
   * This entitlement as of {@code nowMillis}: itself while its usage window is open; once the window
   * has ended, zero usage in the window that contains now (see {@link UsageWindow#rolledOver}).
   */
  public Entitlement rolledOver(long nowMillis) {
    if (usageWindow == null || !usageWindow.hasEndedBy(nowMillis)) {
      return this;
    }
    return withUsage(0, usageWindow.rolledOver(nowMillis));
  }

  public Entitlement withDenialReason(Optional<DenialReason> reason, long newValidUntil) {
    return new Entitlement(feature, usageLimit, newValidUntil, enumValues, ordinal(reason.orElse(null)), creditRate,
        usageWindow, currentUsage, flags);
  }

  private static byte ordinal(DenialReason reason) {
    return reason == null ? NO_REASON : (byte) reason.ordinal();
  }

  /**
   * Value equality, so that {@link FeatureCatalog#intern(Entitlement)} can hand every customer with
   * the same entitlement one instance. Features, enum value lists and reset configurations are
   * interned themselves, which makes most comparisons identity checks.
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof Entitlement that
        && flags == that.flags
        && denialReason == that.denialReason
        && validUntil == that.validUntil
        && Double.doubleToLongBits(usageLimit) == Double.doubleToLongBits(that.usageLimit)
        && Double.doubleToLongBits(currentUsage) == Double.doubleToLongBits(that.currentUsage)
        && feature.equals(that.feature)
        && enumValues.equals(that.enumValues)
        && Objects.equals(creditRate, that.creditRate)
        && Objects.equals(usageWindow, that.usageWindow);
  }

  @Override
  public int hashCode() {
    int hash = feature.hashCode();
    hash = 31 * hash + Double.hashCode(usageLimit);
    hash = 31 * hash + Long.hashCode(validUntil);
    hash = 31 * hash + enumValues.hashCode();
    hash = 31 * hash + Objects.hashCode(creditRate);
    hash = 31 * hash + Double.hashCode(currentUsage);
    hash = 31 * hash + Objects.hashCode(usageWindow);
    return 31 * hash + flags * 37 + denialReason;
  }

  /**
   * A rough count of the heap bytes this entitlement holds beyond the catalogue's parts: itself, and
   * a usage window as if it were its own (windows are often shared, so this errs high).
   */
  int estimatedBytes() {
    return usageWindow == null ? 56 : 56 + 48;
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
      return new Entitlement(feature, usageLimit, validUntil, enumValues, denialReason, creditRate, usageWindow,
          currentUsage, flags);
    }
  }
}
