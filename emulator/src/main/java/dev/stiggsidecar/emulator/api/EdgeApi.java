package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.emulator.catalog.EntityKey;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stigg's Edge API: the cached, read-only REST endpoints that SDKs use for entitlements
 * ({@code GET /v1/c/{customerId}/entitlements.json[?resourceId=]}) and for validating the API key at
 * start ({@code GET /v1/config/server-sdk-configuration.json}). A wrong key is HTTP 401.
 */
public final class EdgeApi {

  private static final Pattern ENTITLEMENTS = Pattern.compile("^/v1/c/([^/]+)/entitlements\\.json$");
  private static final String SDK_CONFIGURATION = "/v1/config/server-sdk-configuration.json";

  private final String apiKey;
  private final EntitlementSource entitlements;
  private final EmulatorStats stats;

  EdgeApi(String apiKey, EntitlementSource entitlements, EmulatorStats stats) {
    this.apiKey = apiKey;
    this.entitlements = entitlements;
    this.stats = stats;
  }

  public Reply handle(ApiRequest request) {
    Matcher customer = ENTITLEMENTS.matcher(request.path());
    String endpoint = customer.matches() ? "edge:entitlements"
        : SDK_CONFIGURATION.equals(request.path()) ? "edge:sdk-configuration" : "edge:unknown";
    stats.request(endpoint);
    if (endpoint.equals("edge:unknown")) {
      return ApiErrors.reply(404, "NOT_FOUND", "No Edge endpoint at " + request.path());
    }
    if (!"GET".equals(request.method())) {
      return ApiErrors.reply(405, ApiErrors.BAD_REQUEST, "Edge endpoints answer GET only");
    }
    if (!request.apiKey().map(apiKey::equals).orElse(false)) {
      return ApiErrors.unauthenticated(401);
    }
    if (!customer.matches()) {
      return Reply.ok(sdkConfiguration());
    }
    EntityKey key = EntityKey.of(customer.group(1), request.queryParameter("resourceId").orElse(null));
    EntitlementSource.Fetch fetch = entitlements.fetch(key);
    if (fetch.fault().isPresent()) {
      return EntitlementSource.faultReply(fetch.fault().get());
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("data").set("entitlements", fetch.entitlements());
    return Reply.ok(body);
  }

  /** The SDK only needs a 2xx JSON answer; this is the body Stigg's GraphQL twin returns. */
  static ObjectNode sdkConfiguration() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode configuration = body.putObject("data").putObject("sdkConfiguration");
    configuration.putNull("sentryDsn");
    configuration.put("isWidgetWatermarkEnabled", false);
    configuration.put("__typename", "SdkConfiguration");
    return body;
  }
}
