package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.emulator.faults.Faults;
import dev.stiggsidecar.redis.LastWriterWins;
import dev.stiggsidecar.redis.RedisValues;
import dev.stiggsidecar.redistest.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementResponse;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis cache mode against a real redis-server, Stigg's key layout, and several sidecars sharing it. */
class RedisModeTest {

  private static final String KEY = "redis-test-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private StiggEmulator emulator;
  private RedisProcess redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private final List<SidecarHarness> sidecars = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    redis = RedisProcess.start();
    client = RedisClient.create("redis://127.0.0.1:" + redis.port());
    connection = client.connect();
  }

  @AfterEach
  void stop() throws Exception {
    for (SidecarHarness sidecar : sidecars) {
      sidecar.close();
    }
    connection.close();
    client.shutdown();
    redis.close();
    emulator.close();
  }

  @Test
  void aMissIsReadThroughAndWrittenThroughInStiggsLayoutWithTheTtl() throws Exception {
    SidecarHarness first = sidecar(Map.of());
    RedisCommands<String, String> r = connection.sync();

    assertThat(metered(first, "globex").getEntitlement().getCurrentUsage()).isEqualTo(999);

    JsonNode map = JSON.readTree(r.get("envp:c_globex"));
    assertThat(map.fieldNames()).toIterable().containsExactlyInAnyOrder("feature-seats", "feature-api-calls",
        "feature-region");
    assertThat(map.at("/feature-api-calls/calculatedEntitlement/feature").toString())
        .isEqualTo("{\"id\":\"feature-api-calls\",\"featureType\":\"NUMBER\",\"meterType\":\"Incremental\","
            + "\"units\":\"call\",\"unitsPlural\":\"calls\"}");
    assertThat(map.at("/feature-region/calculatedEntitlement/usageLimit").isNull()).as("usageLimit null kept").isTrue();
    assertThat(map.at("/feature-api-calls/featureUsage/usagePeriodStart").isNumber()).as("epoch ms").isTrue();
    assertThat(r.get("envp:c_globex:f_feature-api-calls")).matches(
        "\\{\"currentUsage\":999,\"usagePeriodStart\":\\d+,\"usagePeriodEnd\":\\d+}");
    assertThat(r.get("envp:c_globex#timestamp")).matches("\\d{13}");
    for (String key : List.of("envp:c_globex", "envp:c_globex#timestamp", "envp:c_globex:f_feature-api-calls",
        "envp:c_globex:f_feature-api-calls#timestamp")) {
      assertThat(r.ttl(key)).as("TTL of " + key).isBetween(3_000L, 3_600L);
    }

    SidecarHarness second = sidecar(Map.of());
    assertThat(metered(second, "globex").getEntitlement().getCurrentUsage()).isEqualTo(999);
    assertThat(emulator.stats().entitlementFetches("globex")).as("the second sidecar read Redis").isEqualTo(1);
  }

  @Test
  void anUnknownCustomerIsCachedEmptyWithTimestampZero() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of());

    sidecar.blocking().getBooleanEntitlement(bool("ghost"));
    sidecar.blocking().getBooleanEntitlement(bool("ghost"));

    assertThat(connection.sync().get("envp:c_ghost")).isEqualTo("{}");
    assertThat(connection.sync().get("envp:c_ghost#timestamp")).isEqualTo("0");
    assertThat(emulator.stats().entitlementFetches("ghost")).isEqualTo(1);
  }

  @Test
  void anOlderWriteNeverOverwritesANewerOne() {
    var async = connection.async();

    write(async, "new", 200);
    write(async, "older", 100);
    assertThat(connection.sync().get("envp:lww")).isEqualTo("new");
    write(async, "newer", 300);
    assertThat(connection.sync().get("envp:lww")).isEqualTo("newer");
    write(async, "untimed", 0);
    assertThat(connection.sync().get("envp:lww")).as("timestamp 0 always writes").isEqualTo("untimed");
    assertThat(connection.sync().ttl("envp:lww#timestamp")).isPositive();
  }

  @Test
  void concurrentMissesAcrossSidecarsMakeOneFetch() throws Exception {
    List<SidecarHarness> three = List.of(sidecar(Map.of()), sidecar(Map.of()), sidecar(Map.of()));
    emulator.setFaults(new Faults(300, 0, 500, false, false, false));
    List<com.google.common.util.concurrent.ListenableFuture<GetMeteredEntitlementResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      answers.add(three.get(i % 3).futures().withDeadlineAfter(20, TimeUnit.SECONDS).getMeteredEntitlement(
          GetMeteredEntitlementRequest.newBuilder().setCustomerId("acme").setFeatureId("feature-api-calls").build()));
    }
    for (var answer : answers) {
      assertThat(answer.get(20, TimeUnit.SECONDS).getEntitlement().getCurrentUsage()).isEqualTo(1_200);
    }

    assertThat(emulator.stats().entitlementFetches("acme")).isEqualTo(1);
  }

  @Test
  void withRedisDownChecksAreAnsweredFromTheApiAndRedisIsUsedAgainWhenBack() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of());
    redis.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.get("/readyz").body().contains("\"redis\":\"disconnected\""));

    for (int i = 0; i < 10; i++) {
      assertThat(metered(sidecar, "globex").getIsFallback()).isFalse();
      assertThat(metered(sidecar, "globex").getEntitlement().getCurrentUsage()).isEqualTo(999);
    }
    assertThat(emulator.stats().entitlementFetches("globex")).as("cached in-process while Redis is down: "
        + "one fetch for 20 checks").isEqualTo(1);
    assertThat(sidecar.get("/metrics").body()).contains("sidecar_redis_connected 0.0");

    redis.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.get("/readyz").body().contains("\"redis\":\"connected\""));
    connection.close();
    connection = client.connect();
    metered(sidecar, "initech");
    await().atMost(Duration.ofSeconds(5)).until(() -> connection.sync().get("envp:c_initech") != null);
  }

  /** Reads and writes of Redis never depend on pub/sub: only the coordination of misses does. */
  @Test
  void aRedisUserWithoutChannelAccessStillReadsAndWritesRedis() throws Exception {
    connection.sync().aclSetuser("nochannels", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("s3cret")
        .allKeys().allCommands().resetChannels());
    SidecarHarness sidecar = sidecar(Map.of("REDIS_USERNAME", "nochannels", "REDIS_PASSWORD", "s3cret"));

    assertThat(metered(sidecar, "globex").getEntitlement().getCurrentUsage()).isEqualTo(999);
    assertThat(connection.sync().get("envp:c_globex")).as("written through without the refetch channel").isNotNull();
    SidecarHarness another = sidecar(Map.of("REDIS_USERNAME", "nochannels", "REDIS_PASSWORD", "s3cret"));
    assertThat(metered(another, "globex").getEntitlement().getCurrentUsage()).isEqualTo(999);
    assertThat(emulator.stats().entitlementFetches("globex")).as("the second sidecar read Redis").isEqualTo(1);
    assertThat(sidecar.get("/metrics").body()).containsPattern("sidecar_redis_client_errors_total [1-9]");
  }

  /** Redis and Stigg both down: what the sidecar last read answers, not a fallback. */
  @Test
  void withRedisAndStiggDownTheLastCopyAnswersRatherThanAFallback() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of("ENTITLEMENTS_FALLBACK", "{\"feature-api-calls\":{\"hasAccess\":true,"
        + "\"usageLimit\":1}}"));
    assertThat(metered(sidecar, "globex").getEntitlement().getCurrentUsage()).isEqualTo(999);
    emulator.setFaults(new Faults(0, 0, 500, true, false, false));
    redis.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.get("/readyz").body().contains("\"redis\":\"disconnected\""));

    GetMeteredEntitlementResponse answer = metered(sidecar, "globex");

    assertThat(answer.getIsFallback()).isFalse();
    assertThat(answer.getEntitlement().getUsageLimit()).isEqualTo(1_000);
    assertThat(metered(sidecar, "initech").getIsFallback()).as("never read: nothing to answer from").isTrue();
  }

  @Test
  void aReadOnlyReplicaFailsWritesButChecksAreStillAnswered() throws Exception {
    try (RedisProcess replica = RedisProcess.start()) {
      RedisClient replicaClient = RedisClient.create("redis://127.0.0.1:" + replica.port());
      try (StatefulRedisConnection<String, String> replicaConnection = replicaClient.connect()) {
        replicaConnection.sync().replicaof("127.0.0.1", redis.port());
        Map<String, String> env = new HashMap<>(Map.of("REDIS_ENVIRONMENT_PREFIX", "envp", "REDIS_HOST", "127.0.0.1",
            "REDIS_PORT", String.valueOf(replica.port())));
        SidecarHarness sidecar = SidecarHarness.start(emulator.baseUri(), KEY, env);
        sidecars.add(sidecar);

        GetMeteredEntitlementResponse answer = metered(sidecar, "globex");

        assertThat(answer.getIsFallback()).isFalse();
        assertThat(answer.getEntitlement().getCurrentUsage()).isEqualTo(999);
        await().atMost(Duration.ofSeconds(5)).until(() -> sidecar.get("/metrics").body()
            .matches("(?s).*sidecar_redis_client_errors_total [1-9].*"));
        assertThat(metered(sidecar, "globex").getEntitlement().getCurrentUsage()).as("still answered").isEqualTo(999);
      } finally {
        replicaClient.shutdown();
      }
    }
  }

  @Test
  void usageReportsUpdateTheSharedUsageKey() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of());
    metered(sidecar, "acme");

    sidecar.blocking().reportUsage(ReportUsageRequest.newBuilder().setCustomerId("acme").setFeatureId("feature-api-calls")
        .setValue(3).build());

    await().atMost(Duration.ofSeconds(5)).until(() -> connection.sync().get("envp:c_acme:f_feature-api-calls")
        .startsWith("{\"currentUsage\":1203,"));
    assertThat(metered(sidecar, "acme").getEntitlement().getCurrentUsage()).isEqualTo(1_203);
  }

  @Test
  void readersAcceptTheNewerFormatWithUsageData() throws Exception {
    RedisCommands<String, String> r = connection.sync();
    r.set("envp:c_writer", "{\"feat-met\":{\"calculatedEntitlement\":{\"type\":\"Feature\",\"feature\":{\"id\":\"feat-met\","
        + "\"featureType\":\"NUMBER\",\"meterType\":\"Incremental\",\"units\":\"\",\"unitsPlural\":\"\"},\"usageLimit\":10,"
        + "\"hasUnlimitedUsage\":false,\"hasSoftLimit\":false,\"enumValues\":[]},\"usageData\":{\"resetPeriod\":null,"
        + "\"resetPeriodConfiguration\":null,\"currentUsage\":0}}}");
    r.set("envp:c_writer#timestamp", "1");
    r.set("envp:c_writer:f_feat-met", "{\"currentUsage\":7}");
    SidecarHarness sidecar = sidecar(Map.of());

    GetMeteredEntitlementResponse answer = sidecar.blocking().getMeteredEntitlement(GetMeteredEntitlementRequest
        .newBuilder().setCustomerId("writer").setFeatureId("feat-met").build());

    assertThat(answer.getEntitlement().getUsageLimit()).isEqualTo(10);
    assertThat(answer.getEntitlement().getCurrentUsage()).isEqualTo(7);
    assertThat(emulator.stats().entitlementFetches("writer")).isZero();
  }

  @Test
  void theNearCacheAnswersWithoutRedisAndFollowsChangesMadeByOthers() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of());
    RedisCommands<String, String> r = connection.sync();
    // The first check fetches from Stigg and writes Redis; Redis then invalidates that key for our
    // tracking connection (the write went through another one), which may arrive a moment later
    // and costs one more read. Wait until the entry stays in the near cache before counting.
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
      r.configResetstat();
      for (int i = 0; i < 5; i++) {
        seats(sidecar, "acme");
      }
      return mgetCalls(r) == 0;
    });
    r.configResetstat();

    for (int i = 0; i < 50; i++) {
      assertThat(seats(sidecar, "acme")).isEqualTo(25);
    }
    assertThat(mgetCalls(r)).as("Redis reads for 50 near-cache hits").isZero();

    String changed = r.get("envp:c_acme").replace("\"usageLimit\":25", "\"usageLimit\":77");
    long written = System.nanoTime();
    r.set("envp:c_acme", changed);
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> seats(sidecar, "acme") == 77);
    System.out.printf("near cache: a change by another connection was answered after %d ms%n",
        (System.nanoTime() - written) / 1_000_000);
  }

  /** acme has a metered feature: its usage key is read in the same MGET as the map. */
  @Test
  void withoutTheNearCacheEveryCheckIsOneRedisRoundTrip() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of("REDIS_NEAR_CACHE", "false"));
    RedisCommands<String, String> r = connection.sync();
    metered(sidecar, "acme");
    metered(sidecar, "acme");
    r.configResetstat();

    for (int i = 0; i < 20; i++) {
      assertThat(seats(sidecar, "acme")).isEqualTo(25);
      assertThat(metered(sidecar, "acme").getEntitlement().getCurrentUsage()).isEqualTo(1_200);
    }
    assertThat(mgetCalls(r)).as("one Redis read per check, usage keys included").isEqualTo(40);
    assertThat(commandCalls(r)).as("and no other command").isEqualTo(40);
  }

  /**
   * Another writer changes the map (a metered feature added, a limit changed) and a usage key:
   * each check answers what Redis holds now, although the sidecar reused its last decoding before.
   */
  @Test
  void withoutTheNearCacheChangesByOtherWritersAreReadAtOnce() throws Exception {
    SidecarHarness sidecar = sidecar(Map.of("REDIS_NEAR_CACHE", "false"));
    RedisCommands<String, String> r = connection.sync();
    assertThat(metered(sidecar, "acme").getEntitlement().getCurrentUsage()).isEqualTo(1_200);

    r.set("envp:c_acme:f_feature-api-calls", r.get("envp:c_acme:f_feature-api-calls")
        .replace("\"currentUsage\":1200", "\"currentUsage\":1300"));
    assertThat(metered(sidecar, "acme").getEntitlement().getCurrentUsage()).isEqualTo(1_300);

    com.fasterxml.jackson.databind.node.ObjectNode map = (com.fasterxml.jackson.databind.node.ObjectNode)
        JSON.readTree(r.get("envp:c_acme"));
    com.fasterxml.jackson.databind.node.ObjectNode added = map.get("feature-api-calls").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) added.at("/calculatedEntitlement/feature")).put("id", "feature-exports");
    ((com.fasterxml.jackson.databind.node.ObjectNode) added.at("/calculatedEntitlement")).put("usageLimit", 50);
    map.set("feature-exports", added);
    r.set("envp:c_acme:f_feature-exports", "{\"currentUsage\":7}");
    r.set("envp:c_acme", map.toString());

    GetMeteredEntitlementResponse exports = sidecar.blocking().getMeteredEntitlement(GetMeteredEntitlementRequest
        .newBuilder().setCustomerId("acme").setFeatureId("feature-exports").build());
    assertThat(exports.getEntitlement().getUsageLimit()).isEqualTo(50);
    assertThat(exports.getEntitlement().getCurrentUsage()).isEqualTo(7);
    assertThat(metered(sidecar, "acme").getEntitlement().getCurrentUsage()).isEqualTo(1_300);
    r.configResetstat();
    metered(sidecar, "acme");
    assertThat(mgetCalls(r)).as("the new usage key is now read with the map").isEqualTo(1);
    assertThat(emulator.stats().entitlementFetches("acme")).as("all of it from Redis").isEqualTo(1);
  }

  private static int seats(SidecarHarness sidecar, String customer) {
    return sidecar.blocking().getNumericEntitlement(io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest.newBuilder()
        .setCustomerId(customer).setFeatureId("feature-seats").build()).getEntitlement().getValue();
  }

  private static long mgetCalls(RedisCommands<String, String> r) {
    java.util.regex.Matcher calls = java.util.regex.Pattern.compile("cmdstat_mget:calls=(\\d+)")
        .matcher(r.info("commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  /** Every command Redis served, from {@code INFO commandstats} (the INFO call itself is not counted yet). */
  private static long commandCalls(RedisCommands<String, String> r) {
    java.util.regex.Matcher calls = java.util.regex.Pattern.compile("cmdstat_(\\w+):calls=(\\d+)")
        .matcher(r.info("commandstats"));
    long total = 0;
    while (calls.find()) {
      if (!calls.group(1).equals("info") && !calls.group(1).equals("config")) {
        total += Long.parseLong(calls.group(2));
      }
    }
    return total;
  }

  private void write(io.lettuce.core.api.async.RedisAsyncCommands<String, String> async, String value, long timestamp) {
    LastWriterWins.write(async, new RedisValues(List.of(new RedisValues.Entry("envp:lww", value, timestamp))), 60).join();
  }

  private SidecarHarness sidecar(Map<String, String> overrides) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("REDIS_ENVIRONMENT_PREFIX", "envp", "REDIS_HOST", "127.0.0.1",
        "REDIS_PORT", String.valueOf(redis.port()), "REDIS_KEYS_TTL_IN_SECS", "3600"));
    env.putAll(overrides);
    SidecarHarness sidecar = SidecarHarness.start(emulator.baseUri(), KEY, env);
    sidecars.add(sidecar);
    return sidecar;
  }

  private static GetMeteredEntitlementResponse metered(SidecarHarness sidecar, String customer) {
    return sidecar.blocking().getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder().setCustomerId(customer)
        .setFeatureId("feature-api-calls").build());
  }

  private static GetBooleanEntitlementRequest bool(String customer) {
    return GetBooleanEntitlementRequest.newBuilder().setCustomerId(customer).setFeatureId("feature-sso").build();
  }
}
