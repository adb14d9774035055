package dev.stiggsidecar.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of the emulator's admin API over HTTP, for tests, benchmarks and scripts in other
 * modules. Each method is one admin request; a refused request throws with the emulator's message.
 */
public final class AdminClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public AdminClient(URI base) {
    this.base = base;
  }

  /** {@code PUT /admin/customers/{id}[?resourceId=]} with {@code {"entitlements": <json>}}. */
  public void putEntitlements(String customerId, String resourceIdOrNull, String entitlementsJson) {
    send("PUT", customerPath(customerId, resourceIdOrNull), "{\"entitlements\":" + entitlementsJson + "}");
  }

  /** {@code PUT} with a fault: {@code graphql-errors}, {@code http-500} or {@code timeout}. */
  public void putEntitlementsWithFault(String customerId, String entitlementsJson, String fault) {
    send("PUT", customerPath(customerId, null), "{\"entitlements\":" + entitlementsJson + ",\"fault\":\"" + fault + "\"}");
  }

  public void setUsage(String customerId, String featureId, double currentUsage) {
    send("POST", "/admin/customers/" + encode(customerId) + "/usage",
        "{\"featureId\":\"" + featureId + "\",\"currentUsage\":" + currentUsage + "}");
  }

  public void setCreditBalance(String customerId, String currencyId, double currentBalance) {
    send("POST", "/admin/customers/" + encode(customerId) + "/credits",
        "{\"currencyId\":\"" + currencyId + "\",\"currentBalance\":" + currentBalance + "}");
  }

  public void publishPackage(String migrationType) {
    send("POST", "/admin/packages/publish", "{\"migrationType\":\"" + migrationType + "\"}");
  }

  /** {@code POST /admin/faults} with a JSON body such as {@code {"down":true}}. */
  public void setFaults(String faultsJson) {
    send("POST", "/admin/faults", faultsJson);
  }

  public void clearFaults() {
    send("DELETE", "/admin/faults", null);
  }

  public JsonNode stats() {
    return send("GET", "/admin/stats", null);
  }

  public void resetStats() {
    send("DELETE", "/admin/stats", null);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
      }
      return response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String customerPath(String customerId, String resourceId) {
    return "/admin/customers/" + encode(customerId) + (resourceId == null ? "" : "?resourceId=" + encode(resourceId));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
