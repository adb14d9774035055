package dev.stiggsidecar.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.sidecar.cache.CaffeineEntitlementCache;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import java.lang.management.ManagementFactory;
import java.time.Instant;

/**
 * Heap per cached entitlement, measured in a JVM of its own: 100,000 customers with 10 entitlements
 * each (1,000,000 entitlements) from a catalogue of 10 features, built through the same JSON reader
 * and cache as a fetch, then the used heap after GC compared with the empty baseline.
 *
 * <p>The mix is a typical plan: 4 boolean, 3 numeric, 2 metered (with usage windows), 1 enum. The
 * usage windows are either shared ({@code shared}: every subscription resets on the same dates) or
 * each customer's own ({@code own}: anchored at its subscription's start, a second apart), the two
 * ends of what customers' windows can be.
 */
public final class HeapFootprint {

  private HeapFootprint() {}

  public static void main(String[] args) throws Exception {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean ownWindows = args.length > 1 && args[1].equals("own");
    ObjectMapper json = new ObjectMapper();
    EntitlementJson reader = new EntitlementJson(new FeatureCatalog());
    CaffeineEntitlementCache cache = new CaffeineEntitlementCache(Long.MAX_VALUE);
    long before = usedHeapAfterGc();
    for (int c = 0; c < customers; c++) {
      ArrayNode list = json.createArrayNode();
      for (int f = 0; f < 10; f++) {
        list.add(fragment(json, f, c, ownWindows ? c : 0));
      }
      cache.put(EntityKey.customer(String.format("customer-%06d", c)), reader.entitlements(list, System.nanoTime()));
    }
    long after = usedHeapAfterGc();
    long entitlements = customers * 10L;
    double perEntitlement = (after - before) / (double) entitlements;
    System.out.printf("heap-per-entitlement %.1f bytes (%d entitlements, %d customers, %.1f MiB, cache weight %d)%n",
        perEntitlement, entitlements, customers, (after - before) / 1048576.0, cache.weightedSize());
    if (cache.size() != customers) {
      throw new IllegalStateException("cache lost entries");
    }
  }

  /** @param anchorSeconds how far the customer's usage window is from the shared one */
  private static ObjectNode fragment(ObjectMapper json, int feature, int customer, long anchorSeconds) {
    ObjectNode node = json.createObjectNode();
    ObjectNode f = node.putObject("feature");
    f.put("refId", "feature-" + feature);
    if (feature < 4) {
      f.put("featureType", "BOOLEAN").put("meterType", "None");
    } else if (feature < 7) {
      f.put("featureType", "NUMBER").put("meterType", "None").put("featureUnits", "seat").put("featureUnitsPlural", "seats");
      node.put("usageLimit", 10 + customer % 50);
    } else if (feature < 9) {
      f.put("featureType", "NUMBER").put("meterType", "Incremental").put("featureUnits", "call");
      node.put("usageLimit", 10_000).put("currentUsage", customer % 9_000).put("resetPeriod", "MONTH")
          .put("usagePeriodAnchor", date("2026-01-15T00:00:00Z", anchorSeconds))
          .put("usagePeriodStart", date("2026-11-15T00:00:00Z", anchorSeconds))
          .put("usagePeriodEnd", date("2026-12-15T00:00:00Z", anchorSeconds));
      node.putObject("resetPeriodConfiguration").put("__typename", "MonthlyResetPeriodConfig")
          .put("monthlyAccordingTo", "SubscriptionStart");
    } else {
      f.put("featureType", "ENUM").put("meterType", "None");
      node.putArray("enumValues").add("us").add("eu");
    }
    return node;
  }

  private static String date(String instant, long plusSeconds) {
    return Instant.parse(instant).plusSeconds(plusSeconds).toString();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
