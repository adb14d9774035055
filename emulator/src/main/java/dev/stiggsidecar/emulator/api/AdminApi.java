package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.emulator.catalog.Catalog;
import dev.stiggsidecar.emulator.catalog.CatalogException;
import dev.stiggsidecar.emulator.catalog.CustomerFault;
import dev.stiggsidecar.emulator.catalog.EntityKey;
import dev.stiggsidecar.emulator.catalog.UsageChange;
import dev.stiggsidecar.emulator.faults.FaultSwitch;
import dev.stiggsidecar.emulator.faults.Faults;
import dev.stiggsidecar.emulator.realtime.RealtimeHub;
import dev.stiggsidecar.emulator.realtime.Subscription;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's own control surface for tests and demos: change entitlements and usage as Stigg's
 * back office would (each change is pushed to real-time subscribers), inject faults, read counters.
 * Served only to loopback clients; answers 204 on success and {@code {"error": ...}} otherwise.
 */
public final class AdminApi {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern CUSTOMER = Pattern.compile("^/admin/customers/([^/]+)(/usage|/credits)?$");
  private static final List<String> MIGRATION_TYPES = List.of("ALL_CUSTOMERS", "NEW_CUSTOMERS");

  private final Catalog catalog;
  private final RealtimeHub realtime;
  private final EmulatorStats stats;
  private final FaultSwitch faults;

  AdminApi(Catalog catalog, RealtimeHub realtime, EmulatorStats stats, FaultSwitch faults) {
    this.catalog = catalog;
    this.realtime = realtime;
    this.stats = stats;
    this.faults = faults;
  }

  public Reply handle(ApiRequest request) {
    if (!request.fromLoopback()) {
      return error(403, "the admin API answers loopback clients only");
    }
    try {
      Matcher customer = CUSTOMER.matcher(request.path());
      if (customer.matches()) {
        EntityKey key = EntityKey.of(customer.group(1), request.queryParameter("resourceId").orElse(null));
        String action = customer.group(2) == null ? "" : customer.group(2);
        return switch (request.method() + " " + action) {
          case "PUT " -> putCustomer(key, body(request));
          case "DELETE " -> deleteCustomer(key);
          case "POST /usage" -> setUsage(customer.group(1), body(request));
          case "POST /credits" -> setCredits(customer.group(1), body(request));
          default -> notAllowed(request);
        };
      }
      return switch (request.method() + " " + request.path()) {
        case "POST /admin/packages/publish" -> publishPackage(body(request));
        case "POST /admin/faults" -> setFaults(Faults.parse(body(request)));
        case "DELETE /admin/faults" -> setFaults(Faults.NONE);
        case "GET /admin/faults" -> Reply.ok(faults.current().toJson());
        case "GET /admin/stats" -> Reply.ok(stats.toJson());
        case "DELETE /admin/stats" -> {
          stats.reset();
          yield new Reply.NoContent();
        }
        default -> notAllowed(request);
      };
    } catch (CatalogException e) {
      return error(400, String.join("; ", e.problems()));
    }
  }

  private Reply putCustomer(EntityKey key, JsonNode body) throws CatalogException {
    Optional<CustomerFault> fault = Optional.empty();
    JsonNode faultNode = body.path("fault");
    if (!faultNode.isMissingNode() && !faultNode.isNull()) {
      fault = CustomerFault.parse(faultNode.asText());
      if (fault.isEmpty()) {
        throw new CatalogException("fault: " + faultNode + " is not one of " + CustomerFault.allowedNames());
      }
    }
    ArrayNode stored = catalog.replace(key, body.path("entitlements"));
    catalog.setFault(key, fault);
    realtime.publish(Subscription.ENTITLEMENTS_UPDATED, entitlementsUpdated(key, stored));
    return new Reply.NoContent();
  }

  private Reply deleteCustomer(EntityKey key) {
    if (catalog.remove(key)) {
      realtime.publish(Subscription.ENTITLEMENTS_UPDATED,
          entitlementsUpdated(key, JsonNodeFactory.instance.arrayNode()));
    }
    return new Reply.NoContent();
  }

  private Reply setUsage(String customerId, JsonNode body) throws CatalogException {
    if (!body.path("featureId").isTextual() || !body.path("currentUsage").isNumber()) {
      throw new CatalogException("the body must be {\"featureId\": <string>, \"currentUsage\": <number>, "
          + "\"resourceId\": <string or null>}");
    }
    EntityKey key = EntityKey.of(customerId, body.path("resourceId").isTextual() ? body.get("resourceId").asText() : null);
    UsageChange change = catalog.setUsage(key, body.get("featureId").asText(), body.get("currentUsage").asDouble());
    realtime.publish(Subscription.USAGE_UPDATED, change.usageUpdated());
    return new Reply.NoContent();
  }

  private Reply setCredits(String customerId, JsonNode body) throws CatalogException {
    if (!body.path("currencyId").isTextual() || !body.path("currentBalance").isNumber()) {
      throw new CatalogException("the body must be {\"currencyId\": <string>, \"currentBalance\": <number>, "
          + "\"resourceId\": <string or null>}");
    }
    EntityKey key = EntityKey.of(customerId, body.path("resourceId").isTextual() ? body.get("resourceId").asText() : null);
    ObjectNode push = catalog.setCreditBalance(key, body.get("currencyId").asText(), body.get("currentBalance").asDouble());
    realtime.publish(Subscription.CREDIT_BALANCE_UPDATED, push);
    return new Reply.NoContent();
  }

  private Reply publishPackage(JsonNode body) throws CatalogException {
    String migrationType = body.path("migrationType").asText("");
    if (!MIGRATION_TYPES.contains(migrationType)) {
      throw new CatalogException("migrationType: must be one of " + String.join(", ", MIGRATION_TYPES));
    }
    ObjectNode push = JsonNodeFactory.instance.objectNode();
    push.put("accountId", "emulator-account");
    push.put("environmentId", "emulator-environment");
    push.put("packageType", body.path("packageType").asText("plan"));
    push.put("packageRefId", body.path("packageRefId").asText("plan-emulator"));
    push.put("packageVersion", body.path("packageVersion").asInt(1));
    push.put("migrationType", migrationType);
    push.put("__typename", "PackagePublished");
    realtime.publish(Subscription.PACKAGE_PUBLISHED, push);
    return new Reply.NoContent();
  }

  private Reply setFaults(Faults next) {
    faults.set(next);
    return new Reply.NoContent();
  }

  private static ObjectNode entitlementsUpdated(EntityKey key, ArrayNode entitlements) {
    ObjectNode push = JsonNodeFactory.instance.objectNode();
    push.put("customerId", key.customerId());
    push.put("resourceId", key.resourceId().orElse(null));
    push.set("entitlements", entitlements);
    push.put("__typename", "EntitlementsUpdated");
    return push;
  }

  private static JsonNode body(ApiRequest request) throws CatalogException {
    try {
      JsonNode body = MAPPER.readTree(request.body());
      if (body == null || !body.isObject()) {
        throw new CatalogException("the body must be a JSON object");
      }
      return body;
    } catch (JsonProcessingException e) {
      throw new CatalogException("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static Reply notAllowed(ApiRequest request) {
    return error(404, "no admin endpoint for " + request.method() + " " + request.path()
        + "; see the README's admin API table");
  }

  private static Reply error(int status, String message) {
    return new Reply.Json(status, JsonNodeFactory.instance.objectNode().put("error", message));
  }
}
