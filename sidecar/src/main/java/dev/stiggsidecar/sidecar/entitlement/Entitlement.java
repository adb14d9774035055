package dev.stiggsidecar.sidecar.entitlement;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer's entitlement to one feature, as Stigg computed it. Immutable and deliberately
 * compact (about 48 bytes, plus a {@link Usage} for metered features): a sidecar may cache millions.
 * "No limit" is {@code NaN} and "no date" is {@link Usage#NO_DATE} rather than boxed values.
 */
public final class Entitlement {

  private static final String[] NO_VALUES = new String[0];
  private static final byte UNLIMITED = 1;
  private static final byte SOFT_LIMIT = 2;

  private final Feature feature;
  private final double usageLimit;
  private final long validUntil;
  private final String[] enumValues;
  private final DenialReason denialReason;
  private final CreditRate creditRate;
  private final Usage usage;
  private final byte flags;

  private Entitlement(Feature feature, double usageLimit, long validUntil, String[] enumValues,
      DenialReason denialReason, CreditRate creditRate, Usage usage, byte flags) {
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
    return Optional.ofNullable(denialReason);
  }

  public List<String> enumValues() {
    return Arrays.asList(enumValues);
  }

  public boolean allowsEnumValue(String value) {
    for (String allowed : enumValues) {
      if (allowed.equals(value)) {
        return true;
      }
    }
    return false;
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
    return new Entitlement(feature, usageLimit, newValidUntil, enumValues, reason.orElse(null), creditRate, usage, flags);
  }

  /** A rough count of the heap bytes this entitlement holds beyond shared features. */
  int estimatedBytes() {
    int bytes = 48;
    for (String value : enumValues) {
      bytes += 4 + 24 + value.length();
    }
    return usage == null ? bytes : bytes + 56;
  }

  /** Builds an entitlement; unset numbers and dates mean "none". */
  public static final class Builder {
    private final Feature feature;
    private double usageLimit = Double.NaN;
    private long validUntil = Usage.NO_DATE;
    private String[] enumValues = NO_VALUES;
    private DenialReason denialReason;
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
      this.denialReason = reason;
      return this;
    }

    public Builder enumValues(List<String> values) {
      this.enumValues = values.isEmpty() ? NO_VALUES : values.toArray(NO_VALUES);
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
