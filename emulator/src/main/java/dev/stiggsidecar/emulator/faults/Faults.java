package dev.stiggsidecar.emulator.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.emulator.catalog.CatalogException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Faults injected into every Edge and GraphQL request (admin {@code POST /admin/faults}).
 *
 * @param latencyMs added before each answer
 * @param errorRate the fraction of requests answered with {@code errorStatus}, 0 to 1
 * @param errorStatus the HTTP status of injected errors, 400 to 599
 * @param down answer every request with 503 and refuse websockets
 * @param dropWebsockets close every open websocket and refuse new ones while set
 * @param rejectKey answer every request as Stigg answers a wrong API key, and close websockets with
 *     {@code 4401 Invalid API key}, as if the key had been revoked
 */
public record Faults(long latencyMs, double errorRate, int errorStatus, boolean down, boolean dropWebsockets,
    boolean rejectKey) {

  public static final Faults NONE = new Faults(0, 0.0, 500, false, false, false);

  private static final Set<String> FIELDS = Set.of("latencyMs", "errorRate", "errorStatus", "down", "dropWebsockets",
      "rejectKey");

  /** Whether websockets must be closed and refused. */
  public boolean refusesWebsockets() {
    return down || dropWebsockets;
  }

  /** Reads a fault request; absent fields keep their no-fault values. Every problem is reported. */
  public static Faults parse(JsonNode body) throws CatalogException {
    List<String> problems = new ArrayList<>();
    if (!body.isObject()) {
      throw new CatalogException("the body must be a JSON object such as {\"latencyMs\":200}");
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        problems.add(name + ": unknown fault; known faults: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    });
    long latency = body.path("latencyMs").asLong(0);
    double errorRate = body.path("errorRate").asDouble(0.0);
    int errorStatus = body.path("errorStatus").asInt(500);
    if (body.has("latencyMs") && (!body.get("latencyMs").canConvertToLong() || latency < 0)) {
      problems.add("latencyMs: must be a whole number of milliseconds >= 0");
    }
    if (body.has("errorRate") && (!body.get("errorRate").isNumber() || errorRate < 0 || errorRate > 1)) {
      problems.add("errorRate: must be a number from 0.0 to 1.0");
    }
    if (body.has("errorStatus") && (!body.get("errorStatus").isInt() || errorStatus < 400 || errorStatus > 599)) {
      problems.add("errorStatus: must be an HTTP error status from 400 to 599");
    }
    for (String flag : List.of("down", "dropWebsockets", "rejectKey")) {
      if (body.has(flag) && !body.get(flag).isBoolean()) {
        problems.add(flag + ": must be true or false");
      }
    }
    if (!problems.isEmpty()) {
      throw new CatalogException(problems);
    }
    return new Faults(latency, errorRate, errorStatus, body.path("down").asBoolean(false),
        body.path("dropWebsockets").asBoolean(false), body.path("rejectKey").asBoolean(false));
  }

  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("latencyMs", latencyMs);
    json.put("errorRate", errorRate);
    json.put("errorStatus", errorStatus);
    json.put("down", down);
    json.put("dropWebsockets", dropWebsockets);
    json.put("rejectKey", rejectKey);
    return json;
  }
}
