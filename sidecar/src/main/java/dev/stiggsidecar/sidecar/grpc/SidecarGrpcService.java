package dev.stiggsidecar.sidecar.grpc;

import com.google.protobuf.Empty;
import dev.stiggsidecar.sidecar.cache.EntitlementSource;
import dev.stiggsidecar.sidecar.cache.Lookup;
import dev.stiggsidecar.sidecar.decision.Check;
import dev.stiggsidecar.sidecar.decision.Decision;
import dev.stiggsidecar.sidecar.decision.DecisionEngine;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.sidecar.usage.UsageReporter;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.stigg.sidecar.proto.v1.AccessDeniedReason;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stigg.sidecar.v1.SidecarService}. Each RPC maps its request ({@link RequestMapper}) to a
 * domain call (the {@link DecisionEngine} on entitlements from the {@link EntitlementSource}, or
 * the {@link UsageReporter}) and the result to a response ({@link ResponseMapper}); nothing here
 * decides entitlements, and status codes are {@link GrpcStatuses}'.
 *
 * <p>Threading: handlers run on the transport's event loop. A cache hit is answered inline, with no
 * I/O and no thread hop; a miss continues asynchronously when the fetch completes, never blocking
 * the loop.
 */
public final class SidecarGrpcService extends SidecarServiceGrpc.SidecarServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(SidecarGrpcService.class);

  private final EntitlementSource entitlements;
  private final DecisionEngine engine;
  private final UsageReporter usage;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final boolean offline;
  private final ResponseMapper responses = new ResponseMapper();

  public SidecarGrpcService(EntitlementSource entitlements, DecisionEngine engine, UsageReporter usage, SidecarMetrics metrics,
      Clock clock, boolean offline) {
    this.entitlements = entitlements;
    this.engine = engine;
    this.usage = usage;
    this.metrics = metrics;
    this.clock = clock;
    this.offline = offline;
  }

  @Override
  public void getBooleanEntitlement(GetBooleanEntitlementRequest request,
      StreamObserver<GetBooleanEntitlementResponse> observer) {
    serve(observer, () -> decide(key(request.getCustomerId(), request.hasResourceId(), request.getResourceId()),
        RequestMapper.booleanCheck(request.getFeatureId(), request.hasOptions(), request.getOptions()),
        responses::booleanResponse, observer));
  }

  @Override
  public void getNumericEntitlement(GetNumericEntitlementRequest request,
      StreamObserver<GetNumericEntitlementResponse> observer) {
    serve(observer, () -> decide(key(request.getCustomerId(), request.hasResourceId(), request.getResourceId()),
        RequestMapper.numericCheck(request.getFeatureId(), request.hasOptions(), request.getOptions()),
        responses::numericResponse, observer));
  }

  @Override
  public void getMeteredEntitlement(GetMeteredEntitlementRequest request,
      StreamObserver<GetMeteredEntitlementResponse> observer) {
    serve(observer, () -> {
      EntityKey key = key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.meteredCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      double requested = check.requestedUsage().orElse(0);
      decide(key, check, decision -> responses.meteredResponse(decision, requested), observer);
    });
  }

  @Override
  public void getEnumEntitlement(GetEnumEntitlementRequest request,
      StreamObserver<GetEnumEntitlementResponse> observer) {
    serve(observer, () -> {
      EntityKey key = key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      Check check = RequestMapper.enumCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
      decide(key, check, decision -> responses.enumResponse(decision, check.requestedValues()), observer);
    });
  }

  @Override
  public void getEntitlement(GetEntitlementRequest request, StreamObserver<GetEntitlementResponse> observer) {
    serve(observer, () -> decide(key(request.getCustomerId(), request.hasResourceId(), request.getResourceId()),
        RequestMapper.genericCheck(request.getFeatureId(), request.hasOptions(), request.getOptions()),
        responses::genericResponse, observer));
  }

  @Override
  public void getEntitlements(GetEntitlementsRequest request, StreamObserver<GetEntitlementsResponse> observer) {
    serve(observer, () -> withEntry(key(request.getCustomerId(), request.hasResourceId(), request.getResourceId()),
        observer, lookup -> {
          GetEntitlementsResponse.Builder response = GetEntitlementsResponse.newBuilder();
          if (lookup.entry().isPresent()) {
            CustomerEntitlements entry = lookup.entry().get();
            engine.decideAll(entry, clock.millis())
                .forEach(decision -> response.addEntitlements(responses.listEntitlement(decision)));
            if (!entry.customerExists()) {
              response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_CUSTOMER_NOT_FOUND);
            }
          } else {
            metrics.fallbackServed(lookup.unavailableCause());
            engine.fallbackList().forEach(listed -> response.addEntitlements(responses.listedFallback(listed)));
            response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_UNKNOWN);
          }
          return response.build();
        }));
  }

  @Override
  public void getEntitlementsStateV2(GetEntitlementsStateV2Request request,
      StreamObserver<GetEntitlementsStateV2Response> observer) {
    serve(observer, () -> withEntry(key(request.getCustomerId(), request.hasResourceId(), request.getResourceId()),
        observer, lookup -> {
          GetEntitlementsStateV2Response.Builder response = GetEntitlementsStateV2Response.newBuilder();
          if (lookup.entry().isPresent()) {
            CustomerEntitlements entry = lookup.entry().get();
            engine.decideAll(entry, clock.millis())
                .forEach(decision -> response.addEntitlements(responses.entitlementV2(decision)));
            if (!entry.customerExists()) {
              response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_CUSTOMER_NOT_FOUND);
            }
          } else {
            metrics.fallbackServed(lookup.unavailableCause());
            engine.fallbackList()
                .forEach(listed -> response.addEntitlements(responses.entitlementV2(listed.decision())));
            response.setAccessDeniedReason(AccessDeniedReason.ACCESS_DENIED_REASON_UNKNOWN);
          }
          return response.build();
        }));
  }

  @Override
  public void getEntitlementV2(GetEntitlementV2Request request, StreamObserver<GetEntitlementV2Response> observer) {
    serve(observer, () -> {
      EntityKey key = key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      if (request.hasFeatureId() == request.hasCurrencyId()) {
        throw new InvalidRequest("feature_id", "set exactly one of feature_id (a feature check) or currency_id "
            + "(a credit check)");
      }
      if (request.hasFeatureId()) {
        Check check = RequestMapper.genericCheck(request.getFeatureId(), request.hasOptions(), request.getOptions());
        decide(key, check, decision -> GetEntitlementV2Response.newBuilder()
            .setEntitlement(responses.entitlementV2(decision)).build(), observer);
        return;
      }
      String currencyId = RequestMapper.currencyId(request.getCurrencyId());
      Check fallbackCheck = RequestMapper.genericCheck(currencyId, request.hasOptions(), request.getOptions());
      withEntry(key, observer, lookup -> GetEntitlementV2Response.newBuilder()
          .setEntitlement(lookup.entry()
              .map(entry -> ResponseMapper.creditEntitlement(engine.decideCredit(entry, currencyId)))
              .orElseGet(() -> {
                metrics.fallbackServed(lookup.unavailableCause());
                return responses.entitlementV2(engine.fallback(fallbackCheck));
              }))
          .build());
    });
  }

  @Override
  public void reloadEntitlements(ReloadEntitlementsRequest request,
      StreamObserver<ReloadEntitlementsResponse> observer) {
    serve(observer, () -> {
      EntityKey key = key(request.getCustomerId(), request.hasResourceId(), request.getResourceId());
      if (offline) {
        reply(observer, ReloadEntitlementsResponse.newBuilder().setEntitledEntityExists(true).build());
        return;
      }
      complete(observer, entitlements.reload(key), lookup -> ReloadEntitlementsResponse.newBuilder()
          .setEntitledEntityExists(lookup.entry().map(CustomerEntitlements::customerExists).orElse(false)).build());
    });
  }

  @Override
  public void reportUsage(ReportUsageRequest request, StreamObserver<ReportUsageResponse> observer) {
    serve(observer, () -> complete(observer, usage.report(RequestMapper.usageReport(request, "")),
        ResponseMapper::usageResponse));
  }

  @Override
  public void reportUsageBulk(ReportUsageBulkRequest request, StreamObserver<ReportUsageBulkResponse> observer) {
    serve(observer, () -> complete(observer, usage.reportBulk(RequestMapper.usageReports(request.getUsagesList())),
        measurements -> ReportUsageBulkResponse.newBuilder()
            .addAllUsages(measurements.stream().map(ResponseMapper::usageResponse).toList()).build()));
  }

  @Override
  public void reportEvents(ReportEventsRequest request, StreamObserver<Empty> observer) {
    serve(observer, () -> complete(observer, usage.reportEvents(RequestMapper.events(request.getEventsList())),
        ignored -> Empty.getDefaultInstance()));
  }

  /** The part of an RPC that maps its request and starts the answer. */
  @FunctionalInterface
  private interface Call {
    void start() throws InvalidRequest;
  }

  /** Runs one RPC: a request that breaks the contract is answered here, naming the field. */
  private static <T> void serve(StreamObserver<T> observer, Call call) {
    try {
      call.start();
    } catch (InvalidRequest invalid) {
      observer.onError(GrpcStatuses.invalid(invalid));
    }
  }

  private static EntityKey key(String customerId, boolean hasResourceId, String resourceId) throws InvalidRequest {
    return RequestMapper.key(customerId, hasResourceId, resourceId);
  }

  /** Answers a check from the cache when it can, else once its entitlements are loaded. */
  private <T> void decide(EntityKey key, Check check, Function<Decision, T> toResponse, StreamObserver<T> observer) {
    Optional<CustomerEntitlements> cached = entitlements.cached(key);
    if (cached.isPresent()) {
      reply(observer, toResponse.apply(engine.decide(cached.get(), check, clock.millis())));
      return;
    }
    complete(observer, entitlements.load(key), lookup -> toResponse.apply(lookup.entry()
        .map(entry -> engine.decide(entry, check, clock.millis()))
        .orElseGet(() -> {
          metrics.fallbackServed(lookup.unavailableCause());
          return engine.fallback(check);
        })));
  }

  private <T> void withEntry(EntityKey key, StreamObserver<T> observer, Function<Lookup, T> toResponse) {
    Optional<CustomerEntitlements> cached = entitlements.cached(key);
    if (cached.isPresent()) {
      reply(observer, toResponse.apply(Lookup.of(cached.get())));
      return;
    }
    complete(observer, entitlements.load(key), toResponse);
  }

  /**
   * Answers once {@code result} completes, unless the client has gone: with the response, or with
   * the status {@link GrpcStatuses} chooses for the failure.
   */
  private static <R, T> void complete(StreamObserver<T> observer, CompletableFuture<R> result,
      Function<R, T> toResponse) {
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
    call.setOnCancelHandler(() -> { });
    result.whenComplete((value, error) -> {
      if (call.isCancelled()) {
        return;
      }
      T response;
      try {
        if (error != null) {
          observer.onError(GrpcStatuses.upstream(error).orElseGet(() -> {
            log.error("unexpected failure answering a call", error);
            return GrpcStatuses.internal();
          }));
          return;
        }
        response = toResponse.apply(value);
      } catch (RuntimeException unexpected) {
        log.error("unexpected failure answering a call", unexpected);
        observer.onError(GrpcStatuses.internal());
        return;
      }
      reply(observer, response);
    });
  }

  private static <T> void reply(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }
}
