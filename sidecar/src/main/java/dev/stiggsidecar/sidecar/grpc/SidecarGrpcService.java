package dev.stiggsidecar.sidecar.grpc;

import com.google.protobuf.Empty;
import dev.stiggsidecar.sidecar.cache.EntitlementStore;
import dev.stiggsidecar.sidecar.cache.Lookup;
import dev.stiggsidecar.sidecar.decision.Check;
import dev.stiggsidecar.sidecar.decision.Decision;
import dev.stiggsidecar.sidecar.decision.DecisionEngine;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.sidecar.usage.UsageReporter;
import dev.stiggsidecar.stigg.entitlement.CreditBalance;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.DenialReason;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.upstream.UpstreamException;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.stigg.sidecar.proto.v1.AccessDeniedReason;
import io.stigg.sidecar.proto.v1.EntitlementV2;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementV2Request;
import io.stigg.sidecar.proto.v1.GetEntitlementV2Response;
import io.stigg.sidecar.proto.v1.GetEntitlementsRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementsResponse;
import io.stigg.sidecar.proto.v1.GetEntitlementsStateV2Request;
import io.stigg.sidecar.proto.v1.GetEntitlementsStateV2Response;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementResponse;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementResponse;
import io.stigg.sidecar.proto.v1.ReloadEntitlementsRequest;
import io.stigg.sidecar.proto.v1.ReloadEntitlementsResponse;
import io.stigg.sidecar.proto.v1.ReportEventsRequest;
import io.stigg.sidecar.proto.v1.ReportUsageBulkRequest;
import io.stigg.sidecar.proto.v1.ReportUsageBulkResponse;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import io.stigg.sidecar.proto.v1.ReportUsageResponse;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stigg.sidecar.v1.SidecarService}. Each RPC maps its request to a domain call and the
 * result to a response; nothing here decides entitlements.
 *
 * <p>Threading: handlers run on the transport's event loop. A cache hit is answered inline, with no
 * I/O and no thread hop; a miss continues asynchronously when the fetch completes, never blocking
 * the loop. Status codes: a malformed request is {@code INVALID_ARGUMENT} naming the field; reads
 * never fail for upstream reasons (they degrade to cache, then fallback); a write Stigg cannot
 * accept is {@code UNAVAILABLE} (unreachable), {@code FAILED_PRECONDITION} (API key refused) or
 * {@code INVALID_ARGUMENT} (Stigg refused the report), always with the cause.
 */
public final class SidecarGrpcService extends SidecarServiceGrpc.SidecarServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(SidecarGrpcService.class);

  private final EntitlementStore store;
  private final DecisionEngine engine;
  private final UsageReporter usage;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final boolean offline;

  public SidecarGrpcService(EntitlementStore store, DecisionEngine engine, UsageReporter usage, SidecarMetrics metrics,
      Clock clock, boolean offline) {
    this.store = store;
    this.engine = engine;
    this.usage = usage;
    this.metrics = metrics;
    this.clock = clock;
    this.offline = offline;
  }

  @Override
  public void getBooleanEntitlement(GetBooleanEntitlementRequest request,
      StreamObserver<GetBooleanEntitlementResponse> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.booleanCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      decide(key, check, ResponseMapper::booleanResponse, observer);
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getNumericEntitlement(GetNumericEntitlementRequest request,
      StreamObserver<GetNumericEntitlementResponse> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.numericCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      decide(key, check, ResponseMapper::numericResponse, observer);
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getMeteredEntitlement(GetMeteredEntitlementRequest request,
      StreamObserver<GetMeteredEntitlementResponse> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.meteredCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      double requested = check.requestedUsage().orElse(0);
      decide(key, check, decision -> ResponseMapper.meteredResponse(decision, requested), observer);
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getEnumEntitlement(GetEnumEntitlementRequest request,
      StreamObserver<GetEnumEntitlementResponse> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.enumCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      decide(key, check, decision -> ResponseMapper.enumResponse(decision, check.requestedValues()), observer);
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getEntitlement(GetEntitlementRequest request, StreamObserver<GetEntitlementResponse> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.genericCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      decide(key, check, ResponseMapper::genericResponse, observer);
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getEntitlements(GetEntitlementsRequest request, StreamObserver<GetEntitlementsResponse> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      withEntry(key, observer, lookup -> {
        GetEntitlementsResponse.Builder response = GetEntitlementsResponse.newBuilder();
        if (lookup.entry().isPresent()) {
          CustomerEntitlements entry = lookup.entry().get();
          engine.decideAll(entry, clock.millis())
              .forEach(decision -> response.addEntitlements(ResponseMapper.listEntitlement(decision)));
          if (!entry.customerExists()) {
            response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_CUSTOMER_NOT_FOUND);
          }
        } else {
          metrics.fallbackServed(lookup.unavailableCause());
          engine.fallbackList().forEach(listed -> response.addEntitlements(ResponseMapper.listedFallback(listed)));
          response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_UNKNOWN);
        }
        return response.build();
      });
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getEntitlementsStateV2(GetEntitlementsStateV2Request request,
      StreamObserver<GetEntitlementsStateV2Response> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      withEntry(key, observer, lookup -> {
        GetEntitlementsStateV2Response.Builder response = GetEntitlementsStateV2Response.newBuilder();
        if (lookup.entry().isPresent()) {
          CustomerEntitlements entry = lookup.entry().get();
          engine.decideAll(entry, clock.millis())
              .forEach(decision -> response.addEntitlements(ResponseMapper.entitlementV2(decision)));
          if (!entry.customerExists()) {
            response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_CUSTOMER_NOT_FOUND);
          }
        } else {
          metrics.fallbackServed(lookup.unavailableCause());
          engine.fallbackList().forEach(listed -> response.addEntitlements(ResponseMapper.entitlementV2(listed.decision())));
          response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_UNKNOWN);
        }
        return response.build();
      });
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void getEntitlementV2(GetEntitlementV2Request request, StreamObserver<GetEntitlementV2Response> observer) {
    try {
      EntityKey key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      if (request.hasFeatureId() == request.hasCurrencyId()) {
        throw new InvalidRequest("feature_id", "set exactly one of feature_id (a feature check) or currency_id "
            + "(a credit check)");
      }
      if (request.hasFeatureId()) {
        Check check = RequestMapper.genericCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
        decide(key, check, decision -> GetEntitlementV2Response.newBuilder()
            .setEntitlement(ResponseMapper.entitlementV2(decision)).build(), observer);
        return;
      }
      String currencyId = RequestMapper.currencyId(request.getCurrencyId());
      Check fallbackCheck = RequestMapper.genericCheck(currencyId, request.hasOptions(), request.getOptions());
      withEntry(key, observer, lookup -> GetEntitlementV2Response.newBuilder()
          .setEntitlement(lookup.entry().map(entry -> credit(entry, currencyId))
              .orElseGet(() -> {
                metrics.fallbackServed(lookup.unavailableCause());
                return ResponseMapper.entitlementV2(engine.fallback(fallbackCheck));
              }))
          .build());
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void reloadEntitlements(ReloadEntitlementsRequest request,
      StreamObserver<ReloadEntitlementsResponse> observer) {
    EntityKey key;
    try {
      key = RequestMapper.key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
      return;
    }
    if (offline) {
      reply(observer, ReloadEntitlementsResponse.newBuilder().setEntitledEntityExists(true).build());
      return;
    }
    continueAsync(observer, store.reload(key), lookup -> ReloadEntitlementsResponse.newBuilder()
        .setEntitledEntityExists(lookup.entry().map(CustomerEntitlements::customerExists).orElse(false)).build());
  }

  @Override
  public void reportUsage(ReportUsageRequest request, StreamObserver<ReportUsageResponse> observer) {
    try {
      write(observer, usage.report(RequestMapper.usageReport(request, "")), ResponseMapper::usageResponse);
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void reportUsageBulk(ReportUsageBulkRequest request, StreamObserver<ReportUsageBulkResponse> observer) {
    try {
      write(observer, usage.reportBulk(RequestMapper.usageReports(request.getUsagesList())),
          measurements -> ReportUsageBulkResponse.newBuilder()
              .addAllUsages(measurements.stream().map(ResponseMapper::usageResponse).toList()).build());
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  @Override
  public void reportEvents(ReportEventsRequest request, StreamObserver<Empty> observer) {
    try {
      write(observer, usage.reportEvents(RequestMapper.events(request.getEventsList())),
          ignored -> Empty.getDefaultInstance());
    } catch (InvalidRequest e) {
      observer.onError(e.toStatus());
    }
  }

  /** Answers a check from the cache when it can, else once its entitlements are loaded. */
  private <T> void decide(EntityKey key, Check check, Function<Decision, T> toResponse, StreamObserver<T> observer) {
    Optional<CustomerEntitlements> cached = store.cached(key);
    if (cached.isPresent()) {
      reply(observer, toResponse.apply(engine.decide(cached.get(), check, clock.millis())));
      return;
    }
    continueAsync(observer, store.load(key), lookup -> toResponse.apply(lookup.entry()
        .map(entry -> engine.decide(entry, check, clock.millis()))
        .orElseGet(() -> {
          metrics.fallbackServed(lookup.unavailableCause());
          return engine.fallback(check);
        })));
  }

  private <T> void withEntry(EntityKey key, StreamObserver<T> observer, Function<Lookup, T> toResponse) {
    Optional<CustomerEntitlements> cached = store.cached(key);
    if (cached.isPresent()) {
      reply(observer, toResponse.apply(Lookup.of(cached.get())));
      return;
    }
    continueAsync(observer, store.load(key), toResponse);
  }

  /**
   * A credit check: from the last pushed balance of the currency; without one, from the access
   * Stigg computed for the entitlements priced in it; with neither, not entitled.
   */
  private EntitlementV2 credit(CustomerEntitlements entry, String currencyId) {
    Optional<CreditBalance> balance = entry.creditBalance(currencyId);
    if (balance.isPresent()) {
      return ResponseMapper.creditEntitlement(balance.get());
    }
    List<Entitlement> priced = entry.all().stream()
        .filter(entitlement -> entitlement.creditRate().filter(rate -> rate.currencyId().equals(currencyId)).isPresent())
        .toList();
    EntitlementV2.Builder answer = EntitlementV2.newBuilder().setIsFallback(false);
    if (priced.isEmpty()) {
      return answer.setHasAccess(false).setAccessDeniedReason(ResponseMapper.reason(entry.customerExists()
          ? DenialReason.ENTITLEMENT_NOT_FOUND : DenialReason.CUSTOMER_NOT_FOUND)).build();
    }
    Optional<DenialReason> denial = priced.stream().flatMap(entitlement -> entitlement.denialReason().stream()).findFirst();
    answer.setHasAccess(denial.isEmpty());
    denial.ifPresent(reason -> answer.setAccessDeniedReason(ResponseMapper.reason(reason)));
    return answer.build();
  }

  private <R, T> void write(StreamObserver<T> observer, CompletableFuture<R> result, Function<R, T> toResponse) {
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
    call.setOnCancelHandler(() -> { });
    result.whenComplete((value, error) -> {
      if (error == null) {
        reply(observer, toResponse.apply(value));
        return;
      }
      UpstreamException failure = UpstreamException.of(error);
      Status status = switch (failure.kind()) {
        case INVALID_API_KEY -> Status.FAILED_PRECONDITION.withDescription(
            "Stigg refused the sidecar's API key (SERVER_API_KEY); nothing was recorded");
        case REJECTED -> Status.INVALID_ARGUMENT.withDescription("Stigg refused the request: " + failure.getMessage());
        case TIMEOUT -> Status.UNAVAILABLE.withDescription(failure.getMessage()
            + "; Stigg may or may not have recorded it");
        case NETWORK, HTTP_STATUS, MALFORMED -> Status.UNAVAILABLE.withDescription(
            "Stigg is unreachable, nothing was recorded: " + failure.getMessage());
      };
      if (!call.isCancelled()) {
        observer.onError(status.asRuntimeException());
      }
    });
  }

  private <R, T> void continueAsync(StreamObserver<T> observer, CompletableFuture<R> result, Function<R, T> toResponse) {
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
    call.setOnCancelHandler(() -> { });
    result.whenComplete((value, error) -> {
      if (call.isCancelled()) {
        return;
      }
      try {
        if (error != null) {
          throw error;
        }
        reply(observer, toResponse.apply(value));
      } catch (Throwable unexpected) {
        log.error("unexpected failure answering a check", unexpected);
        observer.onError(Status.INTERNAL.withDescription("internal error; see the sidecar's log").asRuntimeException());
      }
    });
  }

  private static <T> void reply(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }
}
