package dev.stiggsidecar.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.persistentcache.PersistentCacheConfig;
import dev.stiggsidecar.persistentcache.PersistentCacheRuntime;
import dev.stiggsidecar.redistest.RedisProcess;
import dev.stiggsidecar.sidecar.SidecarHarness;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stigg's stream → the persistent cache → the shared Redis → a sidecar in Redis mode. */
class PersistentCacheTest {

  private static final String KEY = "persistent-test-key";
  private static final String SEATS_50 =
      "[{\"feature\":{\"refId\":\"feature-seats\",\"featureType\":\"NUMBER\",\"meterType\":\"None\"},\"usageLimit\":50}]";

  private StiggEmulator emulator;
  private RedisProcess redis;
  private PersistentCacheRuntime cache;
  private Map<String, String> cacheEnvironment;
  private SidecarHarness sidecar;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  @BeforeEach
  void start() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    redis = RedisProcess.start();
    Map<String, String> redisEnv = Map.of("REDIS_ENVIRONMENT_PREFIX", "envp", "REDIS_HOST", "127.0.0.1",
        "REDIS_PORT", String.valueOf(redis.port()));
    Map<String, String> env = new java.util.HashMap<>(redisEnv);
    env.putAll(Map.of("SERVER_API_KEY", KEY, "API_URL", emulator.baseUri().toString(),
        "WS_URL", emulator.websocketUri().toString(), "HTTP_PORT", "0", "HTTP_BIND_ADDRESS", "127.0.0.1"));
    cacheEnvironment = Map.copyOf(env);
    cache = PersistentCacheRuntime.start(PersistentCacheConfig.load(env));
    await().atMost(Duration.ofSeconds(10)).until(cache::isReady);
    sidecar = SidecarHarness.start(emulator.baseUri(), KEY, redisEnv);
    client = RedisClient.create("redis://127.0.0.1:" + redis.port());
    connection = client.connect();
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    client.shutdown();
    sidecar.close();
    cache.close();
    redis.close();
    emulator.close();
  }

  @Test
  void aChangeInStiggReachesRedisModeSidecarsThroughThePersistentCache() {
    assertThat(seats()).isEqualTo(25);
    assertThat(seats()).isEqualTo(25);

    new AdminClient(emulator.baseUri()).putEntitlements("acme", null, SEATS_50);

    await().atMost(Duration.ofSeconds(2)).until(() -> seats() == 50);
    assertThat(emulator.stats().entitlementFetches("acme")).as("the sidecar did not refetch").isEqualTo(1);
    assertThat(cache.scrape()).containsPattern("persistent_cache_events_applied_total\\{type=\"entitlementsUpdated\"} [1-9]");
  }

  @Test
  void anOlderEventNeverOverwritesNewerData() throws Exception {
    seats();
    String before = connection.sync().get("envp:c_acme");
    ObjectMapper json = new ObjectMapper();

    cache.writer().entitlementsUpdated(json.readTree("{\"customerId\":\"acme\",\"resourceId\":null,\"entitlements\":"
        + "[{\"feature\":{\"refId\":\"feature-seats\",\"featureType\":\"NUMBER\",\"meterType\":\"None\"},"
        + "\"usageLimit\":1,\"entitlementUpdatedAt\":\"2001-01-01T00:00:00.000Z\"}]}"));

    await().atMost(Duration.ofSeconds(2)).until(() -> cache.scrape()
        .matches("(?s).*persistent_cache_events_skipped_total\\{type=\"entitlementsUpdated\"} [1-9].*"));
    assertThat(connection.sync().get("envp:c_acme")).isEqualTo(before);
  }

  @Test
  void aGapInTheStreamInvalidatesTheSharedEntries() {
    seats();
    assertThat(connection.sync().exists("envp:c_acme")).isEqualTo(1);
    AdminClient admin = new AdminClient(emulator.baseUri());

    admin.setFaults("{\"dropWebsockets\":true}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !cache.isReady());
    admin.clearFaults();

    await().atMost(Duration.ofSeconds(30)).until(() -> connection.sync().exists("envp:c_acme") == 0);
    assertThat(cache.scrape()).containsPattern("persistent_cache_invalidations_total [1-9]");
    seats();
    assertThat(emulator.stats().entitlementFetches("acme")).as("refetched after the invalidation").isEqualTo(2);
  }

  /** A replica of a master that is not there answers every write with READONLY. */
  @Test
  void anEventLostWhileRedisRefusesWritesIsMadeGoodOnceRedisTakesThemAgain() throws Exception {
    assertThat(seats()).isEqualTo(25);
    int nowhere;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      nowhere = socket.getLocalPort();
    }
    connection.sync().replicaof("127.0.0.1", nowhere);

    new AdminClient(emulator.baseUri()).putEntitlements("acme", null, SEATS_50);
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.scrape().contains("persistent_cache_invalidation_pending 1.0"));
    assertThat(seats()).as("Redis still holds the old entry").isEqualTo(25);
    connection.sync().replicaofNoOne();

    await().atMost(Duration.ofSeconds(5)).until(() -> seats() == 50);
    assertThat(cache.scrape()).contains("persistent_cache_invalidation_pending 0.0");
  }

  @Test
  void aRestartedPersistentCacheInvalidatesWhatItMayHaveMissed() throws Exception {
    assertThat(seats()).isEqualTo(25);
    cache.close();
    new AdminClient(emulator.baseUri()).putEntitlements("acme", null, SEATS_50);
    assertThat(seats()).as("nobody follows the stream: Redis keeps the old entry").isEqualTo(25);

    cache = PersistentCacheRuntime.start(PersistentCacheConfig.load(cacheEnvironment));

    await().atMost(Duration.ofSeconds(10)).until(() -> seats() == 50);
  }

  private int seats() {
    return sidecar.blocking().getNumericEntitlement(GetNumericEntitlementRequest.newBuilder().setCustomerId("acme")
        .setFeatureId("feature-seats").build()).getEntitlement().getValue();
  }
}
