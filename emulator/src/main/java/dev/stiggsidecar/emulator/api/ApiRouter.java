package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stiggsidecar.emulator.catalog.Catalog;
import dev.stiggsidecar.emulator.faults.FaultSwitch;
import dev.stiggsidecar.emulator.faults.Faults;
import dev.stiggsidecar.emulator.realtime.RealtimeHub;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of the emulator: routes {@code /v1/**} to Edge, {@code /graphql} to GraphQL and
 * {@code /admin/**} to the admin API, applies the global faults to the Stigg endpoints (never to
 * admin), and writes each {@link Reply}. Delays and held requests are scheduled, not slept, so a
 * slow emulator still takes any number of concurrent requests.
 */
public final class ApiRouter extends Handler.Abstract {

  private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

  private final EdgeApi edge;
  private final GraphqlApi graphql;
  private final AdminApi admin;
  private final FaultSwitch faults;
  private final ScheduledExecutorService scheduler;
  private final Duration hold;

  public ApiRouter(String apiKey, Catalog catalog, RealtimeHub realtime, EmulatorStats stats,
      FaultSwitch faults, ScheduledExecutorService scheduler, Duration hold) {
    EntitlementSource entitlements = new EntitlementSource(catalog, stats);
    this.edge = new EdgeApi(apiKey, entitlements, stats);
    this.graphql = new GraphqlApi(apiKey, catalog, entitlements, realtime, stats);
    this.admin = new AdminApi(catalog, realtime, stats, faults);
    this.faults = faults;
    this.scheduler = scheduler;
    this.hold = hold;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    ApiRequest apiRequest = new ApiRequest(request.getMethod(), request.getHttpURI().getDecodedPath(),
        queryOf(request), Optional.ofNullable(request.getHeaders().get("X-API-KEY")),
        Content.Source.asString(request, StandardCharsets.UTF_8), isLoopback(request));
    String path = apiRequest.path();
    if (path.startsWith("/admin/")) {
      write(apiRequest, admin.handle(apiRequest), response, callback);
    } else if (path.equals("/healthz")) {
      write(apiRequest, Reply.ok(JsonNodeFactory.instance.objectNode().put("status", "UP")), response, callback);
    } else if (path.startsWith("/v1/") || path.equals("/graphql")) {
      Faults current = faults.current();
      Runnable answer = () -> write(apiRequest, faulted(current, apiRequest), response, callback);
      if (current.latencyMs() > 0) {
        scheduler.schedule(answer, current.latencyMs(), TimeUnit.MILLISECONDS);
      } else {
        answer.run();
      }
    } else {
      write(apiRequest, ApiErrors.reply(404, "NOT_FOUND", "Nothing at " + path
          + ". Endpoints: /v1/c/{customerId}/entitlements.json, /v1/config/server-sdk-configuration.json, "
          + "/graphql (POST, and websocket), /admin/..., /healthz"), response, callback);
    }
    return true;
  }

  private Reply faulted(Faults current, ApiRequest request) {
    if (current.down()) {
      return ApiErrors.reply(503, "SERVICE_UNAVAILABLE", "Service Unavailable (emulator fault: down)");
    }
    if (current.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < current.errorRate()) {
      return ApiErrors.reply(current.errorStatus(), ApiErrors.INTERNAL, "Injected error (emulator fault: errorRate)");
    }
    if (current.rejectKey()) {
      return ApiErrors.unauthenticated(request.path().equals("/graphql") ? 200 : 401);
    }
    return request.path().equals("/graphql") ? graphql.handle(request) : edge.handle(request);
  }

  private void write(ApiRequest request, Reply reply, Response response, Callback callback) {
    try {
      if (reply instanceof Reply.Json json) {
        log.debug("{} {} -> {}", request.method(), request.path(), json.status());
        response.setStatus(json.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, json.body().toString(), callback);
      } else if (reply instanceof Reply.NoContent) {
        log.debug("{} {} -> 204", request.method(), request.path());
        response.setStatus(204);
        callback.succeeded();
      } else {
        log.debug("{} {} -> held for {} (timeout fault)", request.method(), request.path(), hold);
        scheduler.schedule(() -> write(request,
            ApiErrors.reply(504, "GATEWAY_TIMEOUT", "Held past the client's timeout (emulator fault: timeout)"),
            response, callback), hold.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      log.error("failed to answer {} {}", request.method(), request.path(), e);
      callback.failed(e);
    }
  }

  private static Map<String, String> queryOf(Request request) {
    Map<String, String> query = new HashMap<>();
    Fields fields = Request.extractQueryParameters(request);
    fields.forEach(field -> query.put(field.getName(), field.getValue()));
    return query;
  }

  private static boolean isLoopback(Request request) {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress address && address.getAddress() != null
        && address.getAddress().isLoopbackAddress();
  }
}
