package dev.stiggsidecar.stigg.entitlement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer's entitlement to one feature, as Stigg computed it. Immutable and deliberately
 * compact (about 48 bytes, plus a {@link Usage} for metered features): a sidecar may cache millions.
 * "No limit" is {@code NaN} and "no date" is {@link Usage#NO_DATE} rather than boxed values.
 */
public final class Entitlement {

  private static final byte UNLIMITED = 1;
  private static final byte SOFT_LIMIT = 2;
  private static final byte NO_REASON = -1;
  private static final DenialReason[] REASONS = DenialReason.values();

  private final Feature feature;
  private final double usageLimit;
  private final long validUntil;
  private final List<String> enumValues;
  private final CreditRate creditRate;
  private final Usage usage;
  private final byte flags;
  /** The denial reason's ordinal, or {@link #NO_REASON}: a byte keeps the object at 48 bytes. */
  private final byte denialReason;

  private Entitlement(Feature feature, double usageLimit, long validUntil, List<String> enumValues,
      byte denialReason, CreditRate creditRate, Usage usage, byte flags) {
    this.feature = Objects.requireNonNull(feature, "feature");
    this.usageLimit = usageLimit;
    this.validUntil = validUntil;
    this.enumValues = enumValues;
    this.denialReason = denialReason;
    this.creditRate = creditRate;
    this.usage = usage;
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

  /** Epoch milliseconds after which the entitlement must be refetched, or {@link Usage#NO_DATE}. */
  public long validUntil() {
    return validUntil;
  }

  public boolean isExpired(long nowMillis) {
    return validUntil != Usage.NO_DATE && validUntil <= nowMillis;
  }

  public Optional<CreditRate> creditRate() {
    return Optional.ofNullable(creditRate);
  }

  /** Usage and its window; present for metered features. */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  public Entitlement withUsage(Usage newUsage) {
    return new Entitlement(feature, usageLimit, validUntil, enumValues, denialReason, creditRate, newUsage, flags);
  }

  public Entitlement withDenialReason(Optional<DenialReason> reason, long newValidUntil) {
    return new Entitlement(feature, usageLimit, newValidUntil, enumValues, ordinal(reason.orElse(null)), creditRate,
        usage, flags);
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
        && feature.equals(that.feature)
        && enumValues.equals(that.enumValues)
        && Objects.equals(creditRate, that.creditRate)
        && Objects.equals(usage, that.usage);
  }

  @Override
  public int hashCode() {
    int hash = feature.hashCode();
    hash = 31 * hash + Double.hashCode(usageLimit);
    hash = 31 * hash + Long.hashCode(validUntil);
    hash = 31 * hash + enumValues.hashCode();
    hash = 31 * hash + Objects.hashCode(creditRate);
    hash = 31 * hash + Objects.hashCode(usage);
    return 31 * hash + flags * 37 + denialReason;
  }

  /** A rough count of the heap bytes this entitlement holds beyond shared (interned) parts. */
  int estimatedBytes() {
    return usage == null ? 48 : 48 + 48;
  }

  /** Builds an entitlement; unset numbers and dates mean "none". */
  public static final class Builder {
    private final Feature feature;
    private double usageLimit = Double.NaN;
    private long validUntil = Usage.NO_DATE;
    private List<String> enumValues = List.of();
    private byte denialReason = NO_REASON;
    private CreditRate creditRate;
    private Usage usage;
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

    public Builder usage(Usage value) {
      this.usage = value;
      return this;
    }

    public Entitlement build() {
      return new Entitlement(feature, usageLimit, validUntil, enumValues, denialReason, creditRate, usage, flags);
    }
  }
}
