package dev.stiggsidecar.sidecar.grpc;

import com.google.protobuf.Timestamp;
import dev.stiggsidecar.sidecar.decision.CheckKind;
import dev.stiggsidecar.sidecar.decision.CreditDecision;
import dev.stiggsidecar.sidecar.decision.Decision;
import dev.stiggsidecar.sidecar.decision.FallbackValue;
import dev.stiggsidecar.sidecar.decision.ListedFallback;
import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.DenialReason;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.Feature;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.MeterType;
import dev.stiggsidecar.stigg.entitlement.ResetPeriod;
import dev.stiggsidecar.stigg.upstream.UsageMeasurement;
import io.stigg.sidecar.proto.v1.AccessDeniedReason;
import io.stigg.sidecar.proto.v1.BooleanEntitlement;
import io.stigg.sidecar.proto.v1.CreditEntitlement;
import io.stigg.sidecar.proto.v1.EntitlementCurrency;
import io.stigg.sidecar.proto.v1.EntitlementFeature;
import io.stigg.sidecar.proto.v1.EntitlementResetPeriod;
import io.stigg.sidecar.proto.v1.EntitlementV2;
import io.stigg.sidecar.proto.v1.EnumEntitlement;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementResponse;
import io.stigg.sidecar.proto.v1.MeteredEntitlement;
import io.stigg.sidecar.proto.v1.NumericEntitlement;
import io.stigg.sidecar.proto.v1.ReportUsageResponse;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns decisions into the wire messages. Optional fields are set only when there is a value,
 * because clients test their presence; numbers use Stigg's engine's defaults (a not-entitled
 * metered answer has no usage, a default metered fallback reports a requested usage of 1).
 */
final class ResponseMapper {

  private static final Map<DenialReason, AccessDeniedReason> REASONS = reasons();

  /**
   * Built feature messages, reused: features are interned, so there are few, and every answer
   * about one carries the same immutable message. Grows with the feature definitions seen, which
   * change rarely.
   */
  private final Map<Feature, EntitlementFeature> features = new ConcurrentHashMap<>();

  private static Map<DenialReason, AccessDeniedReason> reasons() {
    Map<DenialReason, AccessDeniedReason> reasons = new EnumMap<>(DenialReason.class);
    for (DenialReason reason : DenialReason.values()) {
      reasons.put(reason, AccessDeniedReason.valueOf("ACCESS_DENIED_REASON_" + reason.name()));
    }
    return Collections.unmodifiableMap(reasons);
  }

  static AccessDeniedReason reason(DenialReason reason) {
    return REASONS.get(reason);
  }

  GetBooleanEntitlementResponse booleanResponse(Decision decision) {
    GetBooleanEntitlementResponse.Builder response = GetBooleanEntitlementResponse.newBuilder()
        .setHasAccess(decision.hasAccess()).setIsFallback(decision.isFallback()).setEntitlement(booleanOf(decision));
    decision.reason().ifPresent(reason -> response.setAccessDeniedReason(reason(reason)));
    return response.build();
  }

  GetNumericEntitlementResponse numericResponse(Decision decision) {
    GetNumericEntitlementResponse.Builder response = GetNumericEntitlementResponse.newBuilder()
        .setHasAccess(decision.hasAccess()).setIsFallback(decision.isFallback()).setEntitlement(numericOf(decision));
    decision.reason().ifPresent(reason -> response.setAccessDeniedReason(reason(reason)));
    return response.build();
  }

  GetMeteredEntitlementResponse meteredResponse(Decision decision, double requestedUsage) {
    GetMeteredEntitlementResponse.Builder response = GetMeteredEntitlementResponse.newBuilder()
        .setHasAccess(decision.hasAccess()).setIsFallback(decision.isFallback()).setEntitlement(meteredOf(decision))
        .setRequestedUsage(decision.fallback().isPresent() ? 1 : requestedUsage);
    decision.reason().ifPresent(reason -> response.setAccessDeniedReason(reason(reason)));
    return response.build();
  }

  GetEnumEntitlementResponse enumResponse(Decision decision, List<String> requestedValues) {
    GetEnumEntitlementResponse.Builder response = GetEnumEntitlementResponse.newBuilder()
        .setHasAccess(decision.hasAccess()).setIsFallback(decision.isFallback()).setEntitlement(enumOf(decision));
    if (decision.fallback().isEmpty()) {
      response.addAllRequestedValues(requestedValues);
    }
    decision.reason().ifPresent(reason -> response.setAccessDeniedReason(reason(reason)));
    return response.build();
  }

  GetEntitlementResponse genericResponse(Decision decision) {
    GetEntitlementResponse.Builder response = GetEntitlementResponse.newBuilder()
        .setHasAccess(decision.hasAccess()).setIsFallback(decision.isFallback());
    decision.reason().ifPresent(reason -> response.setAccessDeniedReason(reason(reason)));
    setByKind(decision, response::setBoolean, response::setNumeric, response::setMetered, response::setEnum);
    return response.build();
  }

  /** The V1 list element of a decision (it carries no access flags: the list item is the entitlement). */
  io.stigg.sidecar.proto.v1.Entitlement listEntitlement(Decision decision) {
    io.stigg.sidecar.proto.v1.Entitlement.Builder item = io.stigg.sidecar.proto.v1.Entitlement.newBuilder();
    setByKind(decision, item::setBoolean, item::setNumeric, item::setMetered, item::setEnum);
    return item.build();
  }

  EntitlementV2 entitlementV2(Decision decision) {
    EntitlementV2.Builder item = EntitlementV2.newBuilder()
        .setHasAccess(decision.hasAccess()).setIsFallback(decision.isFallback());
    decision.reason().ifPresent(reason -> item.setAccessDeniedReason(reason(reason)));
    setByKind(decision, item::setBoolean, item::setNumeric, item::setMetered, item::setEnum);
    return item.build();
  }

  /** Sets the one member of an entitlement oneof that the decision's kind calls for. */
  private void setByKind(Decision decision, java.util.function.Consumer<BooleanEntitlement> asBoolean,
      java.util.function.Consumer<NumericEntitlement> asNumeric, java.util.function.Consumer<MeteredEntitlement> asMetered,
      java.util.function.Consumer<EnumEntitlement> asEnum) {
    switch (decision.kind()) {
      case BOOLEAN, ANY -> asBoolean.accept(booleanOf(decision));
      case NUMERIC -> asNumeric.accept(numericOf(decision));
      case METERED -> asMetered.accept(meteredOf(decision));
      case ENUM -> asEnum.accept(enumOf(decision));
    }
  }

  /** A credit check's answer, with the balance it was decided from when there is one. */
  static EntitlementV2 creditEntitlement(CreditDecision decision) {
    EntitlementV2.Builder item = EntitlementV2.newBuilder().setHasAccess(decision.hasAccess()).setIsFallback(false);
    decision.reason().ifPresent(reason -> item.setAccessDeniedReason(reason(reason)));
    decision.balance().ifPresent(balance -> {
      EntitlementCurrency.Builder currency = EntitlementCurrency.newBuilder()
          .setCurrencyId(balance.currencyId()).setDisplayName(balance.displayName());
      if (!balance.unitSingular().isEmpty()) {
        currency.setUnitSingular(balance.unitSingular());
      }
      if (!balance.unitPlural().isEmpty()) {
        currency.setUnitPlural(balance.unitPlural());
      }
      CreditEntitlement.Builder credit = CreditEntitlement.newBuilder().setCurrency(currency)
          .setUsageLimit(balance.totalGranted()).setCurrentUsage(balance.totalConsumed())
          .setRemaining(balance.currentBalance());
      if (balance.validUntil() != Entitlement.NO_DATE) {
        credit.setUsagePeriodEnd(timestamp(balance.validUntil()));
      }
      item.setCredit(credit);
    });
    return item.build();
  }

  static ReportUsageResponse usageResponse(UsageMeasurement measurement) {
    ReportUsageResponse.Builder response = ReportUsageResponse.newBuilder()
        .setMeasurementId(measurement.measurementId())
        .setCustomerId(measurement.key().customerId())
        .setFeatureId(measurement.featureId());
    measurement.key().resourceId().ifPresent(response::setResourceId);
    measurement.currentUsage().ifPresent(response::setCurrentUsage);
    if (measurement.periodStart() != Entitlement.NO_DATE) {
      response.setUsagePeriodStart(timestamp(measurement.periodStart()));
    }
    if (measurement.periodEnd() != Entitlement.NO_DATE) {
      response.setUsagePeriodEnd(timestamp(measurement.periodEnd()));
    }
    return response.build();
  }

  private BooleanEntitlement booleanOf(Decision decision) {
    BooleanEntitlement.Builder entitlement = BooleanEntitlement.newBuilder();
    decision.entitlement().ifPresent(found -> entitlement.setFeature(feature(found.feature())));
    return entitlement.build();
  }

  private NumericEntitlement numericOf(Decision decision) {
    NumericEntitlement.Builder numeric = NumericEntitlement.newBuilder();
    if (decision.entitlement().isPresent()) {
      Entitlement entitlement = decision.entitlement().get();
      numeric.setFeature(feature(entitlement.feature())).setIsUnlimited(entitlement.hasUnlimitedUsage());
      if (entitlement.hasUsageLimit()) {
        numeric.setValue(toInt32(entitlement.usageLimit()));
      }
    } else if (decision.fallback().isPresent()) {
      FallbackValue fallback = decision.fallback().get();
      numeric.setIsUnlimited(fallback.isUnlimited().orElse(false));
      fallback.value().ifPresent(numeric::setValue);
    }
    return numeric.build();
  }

  private MeteredEntitlement meteredOf(Decision decision) {
    MeteredEntitlement.Builder metered = MeteredEntitlement.newBuilder();
    if (decision.entitlement().isPresent()) {
      Entitlement entitlement = decision.entitlement().get();
      metered.setFeature(feature(entitlement.feature())).setIsUnlimited(entitlement.hasUnlimitedUsage())
          .setHasSoftLimit(entitlement.hasSoftLimit());
      if (entitlement.hasUsageLimit()) {
        metered.setUsageLimit(entitlement.usageLimit());
      }
      entitlement.usageWindow().ifPresent(window -> {
        metered.setCurrentUsage(entitlement.currentUsage());
        window.resetPeriod().ifPresent(period -> metered.setResetPeriod(resetPeriod(period)));
        if (window.periodAnchor() != Entitlement.NO_DATE) {
          metered.setUsagePeriodAnchor(timestamp(window.periodAnchor()));
        }
        if (window.periodStart() != Entitlement.NO_DATE) {
          metered.setUsagePeriodStart(timestamp(window.periodStart()));
        }
        if (window.periodEnd() != Entitlement.NO_DATE) {
          Timestamp end = timestamp(window.periodEnd());
          metered.setUsagePeriodEnd(end);
          setNextResetDate(metered, end);
        }
      });
    } else if (decision.fallback().isPresent()) {
      FallbackValue fallback = decision.fallback().get();
      metered.setIsUnlimited(fallback.isUnlimited().orElse(false)).setHasSoftLimit(false).setCurrentUsage(0);
      fallback.usageLimit().ifPresent(metered::setUsageLimit);
    }
    return metered.build();
  }

  private EnumEntitlement enumOf(Decision decision) {
    EnumEntitlement.Builder entitlement = EnumEntitlement.newBuilder();
    if (decision.entitlement().isPresent()) {
      Entitlement found = decision.entitlement().get();
      entitlement.setFeature(feature(found.feature())).addAllEnumValues(found.enumValues());
    } else {
      decision.fallback().ifPresent(fallback -> entitlement.addAllEnumValues(fallback.enumValues()));
    }
    return entitlement.build();
  }

  /** Kept apart so that the one deprecated field is set in one place, as Stigg's SDK fills it. */
  @SuppressWarnings("deprecation")
  private static void setNextResetDate(MeteredEntitlement.Builder metered, Timestamp end) {
    metered.setNextResetDate(end);
  }

  private EntitlementFeature feature(Feature feature) {
    EntitlementFeature message = features.get(feature);
    if (message == null) {
      message = features.computeIfAbsent(feature, ResponseMapper::buildFeature);
    }
    return message;
  }

  private static EntitlementFeature buildFeature(Feature feature) {
    EntitlementFeature.Builder message = EntitlementFeature.newBuilder()
        .setId(feature.id())
        .setFeatureType(switch (feature.type()) {
          case BOOLEAN -> io.stigg.sidecar.proto.v1.FeatureType.FEATURE_TYPE_BOOLEAN;
          case NUMBER -> io.stigg.sidecar.proto.v1.FeatureType.FEATURE_TYPE_NUMBER;
          case ENUM -> io.stigg.sidecar.proto.v1.FeatureType.FEATURE_TYPE_ENUM;
        })
        .setMeterType(switch (feature.meterType().orElse(MeterType.NONE)) {
          case NONE -> io.stigg.sidecar.proto.v1.MeterType.METER_TYPE_NONE;
          case FLUCTUATING -> io.stigg.sidecar.proto.v1.MeterType.METER_TYPE_FLUCTUATING;
          case INCREMENTAL -> io.stigg.sidecar.proto.v1.MeterType.METER_TYPE_INCREMENTAL;
        })
        .setIsMetered(feature.isMetered());
    if (!feature.units().isEmpty()) {
      message.setUnits(feature.units());
    }
    if (!feature.unitsPlural().isEmpty()) {
      message.setUnitsPlural(feature.unitsPlural());
    }
    return message.build();
  }

  private static EntitlementResetPeriod resetPeriod(ResetPeriod period) {
    return switch (period) {
      case YEAR -> EntitlementResetPeriod.ENTITLEMENT_RESET_PERIOD_YEAR;
      case MONTH -> EntitlementResetPeriod.ENTITLEMENT_RESET_PERIOD_MONTH;
      case WEEK -> EntitlementResetPeriod.ENTITLEMENT_RESET_PERIOD_WEEK;
      case DAY -> EntitlementResetPeriod.ENTITLEMENT_RESET_PERIOD_DAY;
      case HOUR -> EntitlementResetPeriod.ENTITLEMENT_RESET_PERIOD_HOUR;
    };
  }

  /** Stigg's limits are floats; the numeric wire value is int32: rounded, and clamped to its range. */
  static int toInt32(double value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(value)));
  }

  static Timestamp timestamp(long epochMillis) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000).build();
  }

  /** A fallback listed by {@code GetEntitlements} while Stigg is unavailable: its feature id and values. */
  io.stigg.sidecar.proto.v1.Entitlement listedFallback(ListedFallback listed) {
    io.stigg.sidecar.proto.v1.Entitlement item = listEntitlement(listed.decision());
    EntitlementFeature feature = EntitlementFeature.newBuilder().setId(listed.featureId())
        .setFeatureType(listed.decision().kind() == CheckKind.ENUM
            ? io.stigg.sidecar.proto.v1.FeatureType.FEATURE_TYPE_ENUM
            : listed.decision().kind() == CheckKind.BOOLEAN ? io.stigg.sidecar.proto.v1.FeatureType.FEATURE_TYPE_BOOLEAN
            : io.stigg.sidecar.proto.v1.FeatureType.FEATURE_TYPE_NUMBER)
        .setIsMetered(listed.decision().kind() == CheckKind.METERED).build();
    return switch (item.getEntitlementCase()) {
      case BOOLEAN -> item.toBuilder().setBoolean(item.getBoolean().toBuilder().setFeature(feature)).build();
      case NUMERIC -> item.toBuilder().setNumeric(item.getNumeric().toBuilder().setFeature(feature)).build();
      case METERED -> item.toBuilder().setMetered(item.getMetered().toBuilder().setFeature(feature)).build();
      case ENUM -> item.toBuilder().setEnum(item.getEnum().toBuilder().setFeature(feature)).build();
      case ENTITLEMENT_NOT_SET -> item;
    };
  }
}
