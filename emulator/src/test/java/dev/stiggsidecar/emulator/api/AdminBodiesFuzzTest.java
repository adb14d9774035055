package dev.stiggsidecar.emulator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stiggsidecar.emulator.catalog.Catalog;
import dev.stiggsidecar.emulator.catalog.CatalogException;
import dev.stiggsidecar.emulator.catalog.CatalogFile;
import dev.stiggsidecar.emulator.faults.FaultSwitch;
import dev.stiggsidecar.emulator.realtime.RealtimeHub;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Any body on any admin endpoint: the emulator answers 2xx, or 4xx with an error that names what is
 * wrong, and never 500 or an exception (a test driving the emulator with a typo must learn about
 * the typo). The first byte picks the endpoint; the rest is the body.
 */
class AdminBodiesFuzzTest {

  private static final List<String[]> ENDPOINTS = List.of(
      new String[] {"PUT", "/admin/customers/acme"},
      new String[] {"PUT", "/admin/customers/fuzz-co"},
      new String[] {"POST", "/admin/customers/acme/usage"},
      new String[] {"POST", "/admin/customers/hooli/credits"},
      new String[] {"POST", "/admin/packages/publish"},
      new String[] {"POST", "/admin/faults"});
  private static final AdminApi ADMIN = admin();

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({"{", "}", "[", "]", "\"entitlements\"", "\"fault\"", "\"feature\"", "\"refId\"",
      "\"featureType\"", "\"BOOLEAN\"", "\"NUMBER\"", "\"ENUM\"", "\"meterType\"", "\"None\"", "\"Incremental\"",
      "\"Fluctuating\"", "\"usageLimit\"", "\"currentUsage\"", "\"resetPeriod\"", "\"MONTH\"", "\"HOUR\"",
      "\"usagePeriodAnchor\"", "\"usagePeriodStart\"", "\"usagePeriodEnd\"", "\"2026-11-27T10:00:00.000Z\"",
      "\"resetPeriodConfiguration\"", "\"monthlyAccordingTo\"", "\"creditRate\"", "\"amount\"", "\"currencyId\"",
      "\"featureId\"", "\"currentBalance\"", "\"migrationType\"", "\"ALL_CUSTOMERS\"", "\"latencyMs\"",
      "\"errorRate\"", "\"errorStatus\"", "\"rejectKey\"", "\"enumValues\"", "\"validUntil\"", "null", "true",
      "1e400", "-1"})
  void anyBody(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String[] endpoint = ENDPOINTS.get(Byte.toUnsignedInt(input[0]) % ENDPOINTS.size());
    String body = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    Reply reply = ADMIN.handle(new ApiRequest(endpoint[0], endpoint[1], Map.of(), Optional.empty(), body, true));
    if (reply instanceof Reply.Json json) {
      assertThat(json.status()).as("%s %s answered %s", endpoint[0], endpoint[1], json.body()).isLessThan(500);
      if (json.status() >= 400) {
        assertThat(json.body().path("error").asText()).as("the error says what is wrong").isNotBlank();
      }
    }
    ADMIN.handle(new ApiRequest("DELETE", "/admin/faults", Map.of(), Optional.empty(), "", true));
  }

  private static AdminApi admin() {
    Catalog catalog = new Catalog(Clock.systemUTC());
    try {
      CatalogFile.loadSample(catalog);
    } catch (CatalogException e) {
      throw new IllegalStateException(e);
    }
    EmulatorStats stats = new EmulatorStats();
    FaultSwitch faults = new FaultSwitch();
    return new AdminApi(catalog, new RealtimeHub("fuzz-key", stats, faults::current,
        Executors.newSingleThreadScheduledExecutor()), stats, faults);
  }
}
