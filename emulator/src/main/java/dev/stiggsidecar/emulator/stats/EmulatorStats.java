package dev.stiggsidecar.emulator.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what clients asked of the emulator, for tests that must prove how many upstream calls a
 * sidecar made (for example, that concurrent misses were coalesced into one fetch).
 */
public final class EmulatorStats {

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> entitlementFetches = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> pushes = new ConcurrentHashMap<>();
  private final LongAdder usageReports = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final LongAdder websocketsOpened = new LongAdder();
  private final AtomicInteger websocketsOpen = new AtomicInteger();

  /** One request, named like {@code edge:entitlements} or {@code graphql:GetEntitlements}. */
  public void request(String endpoint) {
    requests.computeIfAbsent(endpoint, ignored -> new LongAdder()).increment();
  }

  /** One fetch of the entitlements of {@code entity} ({@code customer} or {@code customer:resource}). */
  public void entitlementFetch(String entity) {
    entitlementFetches.computeIfAbsent(entity, ignored -> new LongAdder()).increment();
  }

  public void push(String field, int receivers) {
    pushes.computeIfAbsent(field, ignored -> new LongAdder()).add(receivers);
  }

  public void usageReports(int measurements) {
    usageReports.add(measurements);
  }

  public void events(int count) {
    events.add(count);
  }

  public void websocketOpened() {
    websocketsOpened.increment();
    websocketsOpen.incrementAndGet();
  }

  public void websocketClosed() {
    websocketsOpen.decrementAndGet();
  }

  public long requests(String endpoint) {
    LongAdder count = requests.get(endpoint);
    return count == null ? 0 : count.sum();
  }

  public long entitlementFetches(String entity) {
    LongAdder count = entitlementFetches.get(entity);
    return count == null ? 0 : count.sum();
  }

  /** Entitlement fetches of every customer and resource, over Edge and GraphQL. */
  public long entitlementFetches() {
    return entitlementFetches.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Usage measurements applied (a report the emulator refused or never received is not counted). */
  public long usageReports() {
    return usageReports.sum();
  }

  public int websocketsOpen() {
    return websocketsOpen.get();
  }

  /** Zeroes every counter except the number of websockets open right now. */
  public void reset() {
    requests.clear();
    entitlementFetches.clear();
    pushes.clear();
    usageReports.reset();
    events.reset();
    websocketsOpened.reset();
  }

  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ObjectNode requestCounts = json.putObject("requests");
    new TreeMap<>(requests).forEach((name, count) -> requestCounts.put(name, count.sum()));
    ObjectNode fetchCounts = json.putObject("entitlementFetches");
    new TreeMap<>(entitlementFetches).forEach((name, count) -> fetchCounts.put(name, count.sum()));
    ObjectNode websockets = json.putObject("websockets");
    websockets.put("open", websocketsOpen.get());
    websockets.put("opened", websocketsOpened.sum());
    ObjectNode pushCounts = json.putObject("pushes");
    new TreeMap<>(pushes).forEach((name, count) -> pushCounts.put(name, count.sum()));
    json.put("usageReports", usageReports.sum());
    json.put("events", events.sum());
    return json;
  }
}
