package dev.stiggsidecar.sidecar.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.emulator.MutableClock;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.stigg.entitlement.CustomerEntitlements;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.Entitlement;
import dev.stiggsidecar.stigg.entitlement.Feature;
import dev.stiggsidecar.stigg.entitlement.FeatureType;
import dev.stiggsidecar.stigg.entitlement.MeterType;
import dev.stiggsidecar.stigg.upstream.UpstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The online store with time in the test's hand: the wall clock ({@code validUntil}) and the
 * monotonic one (staleness, failure backoff) only move when the test moves them, and every fetch
 * completes only when the test completes it, so each rule is shown exactly at its boundary.
 */
class CachingEntitlementStoreTest {

  private static final EntityKey ACME = EntityKey.customer("acme");
  private static final Duration STALENESS = Duration.ofSeconds(60);
  /** One per {@link Revalidation#TICK} of 100 ms. */
  private static final int REVALIDATIONS_PER_SECOND = 10;
  private static final Feature SSO = new Feature("sso", FeatureType.BOOLEAN, Optional.of(MeterType.NONE), "", "");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final List<Fetch> fetches = new ArrayList<>();
  private final SidecarMetrics metrics = new SidecarMetrics();
  private final ManualTicks ticks = new ManualTicks();
  private final CachingEntitlementStore store = new CachingEntitlementStore(new CaffeineEntitlementCache(1 << 20),
      (key, viaGraphql) -> {
        Fetch fetch = new Fetch(key, viaGraphql, new CompletableFuture<>());
        fetches.add(fetch);
        return fetch.result();
      }, metrics, clock, nanos::get, STALENESS, ticks, REVALIDATIONS_PER_SECOND);

  private record Fetch(EntityKey key, boolean viaGraphql, CompletableFuture<CustomerEntitlements> result) {}

  @AfterEach
  void close() {
    metrics.close();
    ticks.shutdownNow();
  }

  @Test
  void concurrentLoadsOfOneKeyShareOneFetch() {
    CompletableFuture<Lookup> first = store.load(ACME);
    CompletableFuture<Lookup> second = store.load(ACME);
    assertThat(fetches).hasSize(1);

    fetches.get(0).result().complete(entry("v1"));
    assertThat(first.join().entry()).isPresent();
    assertThat(second.join().entry()).isPresent();
    assertThat(store.cached(ACME)).map(CachingEntitlementStoreTest::version).contains("v1");
  }

  @Test
  void withoutRealtimeAnEntryPastItsStalenessIsAnsweredAndRefreshedInTheBackground() {
    loaded("v1");

    nanos.addAndGet(STALENESS.toNanos());
    assertThat(store.cached(ACME)).map(CachingEntitlementStoreTest::version).contains("v1");
    assertThat(fetches).as("exactly at the bound: still fresh").hasSize(1);

    nanos.addAndGet(1);
    assertThat(store.cached(ACME)).as("past it: answered from the cache").map(CachingEntitlementStoreTest::version)
        .contains("v1");
    assertThat(fetches).as("and refreshed once in the background").hasSize(2);
    store.cached(ACME);
    assertThat(fetches).as("not again while the refresh is in flight").hasSize(2);

    fetches.get(1).result().complete(entry("v2"));
    assertThat(store.cached(ACME)).map(CachingEntitlementStoreTest::version).contains("v2");
  }

  @Test
  void whileRealtimeFlowsCachedEntriesDoNotGoStale() {
    store.realtimeConnected(true);
    loaded("v1");
    nanos.addAndGet(STALENESS.multipliedBy(100).toNanos());
    assertThat(store.cached(ACME)).isPresent();
    assertThat(fetches).hasSize(1);
  }

  @Test
  void afterAFailureAKeyIsNotFetchedAgainForOneSecond() {
    CompletableFuture<Lookup> failed = store.load(ACME);
    fetches.get(0).result().completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, "down", null));
    assertThat(failed.join().entry()).isEmpty();
    assertThat(failed.join().unavailableCause()).isEqualTo("upstream_error");

    nanos.addAndGet(CachingEntitlementStore.FAILURE_BACKOFF.toNanos() - 1);
    assertThat(store.load(ACME).join().entry()).isEmpty();
    assertThat(fetches).as("within the backoff: no call to Stigg").hasSize(1);

    nanos.addAndGet(1);
    store.load(ACME);
    assertThat(fetches).as("after it: one call").hasSize(2);
  }

  @Test
  void aFailedRefreshKeepsAnsweringTheLastEntry() {
    loaded("v1");
    nanos.addAndGet(STALENESS.toNanos() + 1);
    store.cached(ACME);
    fetches.get(1).result().completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, "down", null));

    assertThat(store.cached(ACME)).map(CachingEntitlementStoreTest::version).contains("v1");
    assertThat(store.load(ACME).join().entry()).map(CachingEntitlementStoreTest::version).contains("v1");
    assertThat(fetches).as("the backoff holds the next refresh").hasSize(2);
  }

  @Test
  void aPushDuringAFetchWinsOverTheFetchedEntry() {
    CompletableFuture<Lookup> load = store.load(ACME);
    store.replace(ACME, entry("pushed"));

    fetches.get(0).result().complete(entry("fetched-before-the-push"));
    assertThat(load.join().entry()).as("the caller gets what it waited for")
        .map(CachingEntitlementStoreTest::version).contains("fetched-before-the-push");
    assertThat(store.cached(ACME)).as("the cache keeps the push").map(CachingEntitlementStoreTest::version)
        .contains("pushed");
  }

  @Test
  void aClearDuringAFetchLeavesTheCacheEmpty() {
    store.load(ACME);
    store.clear();
    fetches.get(0).result().complete(entry("fetched-before-the-clear"));
    assertThat(store.cached(ACME)).isEmpty();
  }

  @Test
  void anEntitlementPastItsValidUntilIsNeverAnsweredFromTheCache() {
    long validUntil = clock.millis() + 1_000;
    store.replace(ACME, CustomerEntitlements.of(List.of(Entitlement.builder(SSO).validUntil(validUntil).build()), 0,
        nanos.get()));
    assertThat(store.cached(ACME)).isPresent();

    clock.advance(Duration.ofMillis(1_001));
    assertThat(store.cached(ACME)).isEmpty();
  }

  @Test
  void aReconnectKeepsEveryEntryAndRefetchesThemAtTheBoundedRate() {
    List<EntityKey> customers = customers(5);
    customers.forEach(key -> loaded(key, "v1"));
    fetches.clear();

    store.realtimeConnected(true);
    assertThat(customers).allSatisfy(key -> assertThat(store.cached(key)).as("still answered").isPresent());
    assertThat(fetches).as("nothing fetched at the reconnect itself").isEmpty();

    ticks.tick();
    ticks.tick();
    assertThat(fetches).as("one per tick at 10/s, in flight or not").hasSize(2);
    fetches.forEach(fetch -> fetch.result().complete(entry("v2")));
    for (int i = 0; i < 10; i++) {
      ticks.tick();
      fetches.forEach(fetch -> fetch.result().complete(entry("v2")));
    }
    assertThat(fetches).extracting(Fetch::key).as("each entry refetched once").containsExactlyInAnyOrderElementsOf(customers);
    assertThat(customers).allSatisfy(key ->
        assertThat(store.cached(key)).map(CachingEntitlementStoreTest::version).contains("v2"));
    assertThat(metrics.scrape()).contains("sidecar_cache_revalidation_pending 0.0");
  }

  @Test
  void aCheckedEntryIsRevalidatedBeforeTheOthers() {
    List<EntityKey> customers = customers(5);
    customers.forEach(key -> loaded(key, "v1"));
    fetches.clear();
    store.realtimeConnected(true);

    store.cached(customers.get(4));
    ticks.tick();

    assertThat(fetches).extracting(Fetch::key).containsExactly(customers.get(4));
  }

  @Test
  void anEntryPushedAfterTheReconnectIsNotRefetched() {
    List<EntityKey> customers = customers(2);
    customers.forEach(key -> loaded(key, "v1"));
    fetches.clear();
    store.realtimeConnected(true);

    nanos.incrementAndGet();
    store.replace(customers.get(0), entry("pushed"));
    for (int i = 0; i < 5; i++) {
      ticks.tick();
    }

    assertThat(fetches).extracting(Fetch::key).containsExactly(customers.get(1));
    assertThat(store.cached(customers.get(0))).map(CachingEntitlementStoreTest::version).contains("pushed");
  }

  @Test
  void aFailedRevalidationKeepsTheEntryAndIsRetriedAfterTheOthers() {
    List<EntityKey> customers = customers(2);
    customers.forEach(key -> loaded(key, "v1"));
    fetches.clear();
    store.realtimeConnected(true);

    ticks.tick();
    EntityKey failed = fetches.get(0).key();
    EntityKey other = customers.get(0).equals(failed) ? customers.get(1) : customers.get(0);
    fetches.get(0).result().completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, "down", null));
    ticks.tick();
    fetches.get(1).result().complete(entry("v2"));
    ticks.tick();

    assertThat(fetches).extracting(Fetch::key).containsExactly(failed, other, failed);
    assertThat(store.cached(failed)).as("answered meanwhile").map(CachingEntitlementStoreTest::version).contains("v1");
  }

  @Test
  void aDisconnectEndsTheRoundAndTheStalenessBoundAppliesAgain() {
    List<EntityKey> customers = customers(3);
    customers.forEach(key -> loaded(key, "v1"));
    fetches.clear();
    store.realtimeConnected(true);
    store.realtimeConnected(false);

    ticks.tick();
    assertThat(fetches).isEmpty();
    nanos.addAndGet(STALENESS.toNanos() + 1);
    store.cached(customers.get(0));
    assertThat(fetches).extracting(Fetch::key).containsExactly(customers.get(0));
  }

  private void loaded(EntityKey key, String version) {
    CompletableFuture<Lookup> load = store.load(key);
    fetches.get(fetches.size() - 1).result().complete(entry(version));
    assertThat(load.join().entry()).isPresent();
  }

  private static List<EntityKey> customers(int count) {
    List<EntityKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(EntityKey.customer("customer-" + i));
    }
    return keys;
  }

  private void loaded(String version) {
    CompletableFuture<Lookup> load = store.load(ACME);
    fetches.get(fetches.size() - 1).result().complete(entry(version));
    assertThat(load.join().entry()).isPresent();
  }

  /** An entry whose one feature id carries {@code version}, fetched now. */
  private CustomerEntitlements entry(String version) {
    Feature feature = new Feature(version, FeatureType.BOOLEAN, Optional.of(MeterType.NONE), "", "");
    return CustomerEntitlements.of(List.of(Entitlement.builder(feature).build()), 0, nanos.get());
  }

  private static String version(CustomerEntitlements entry) {
    return entry.all().get(0).feature().id();
  }
}
