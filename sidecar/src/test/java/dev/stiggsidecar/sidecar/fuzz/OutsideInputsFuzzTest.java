package dev.stiggsidecar.sidecar.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stiggsidecar.contract.ConfigException;
import dev.stiggsidecar.contract.SidecarEnv;
import dev.stiggsidecar.redis.RedisCodec;
import dev.stiggsidecar.redis.RedisKeys;
import dev.stiggsidecar.sidecar.RawUnaryCall;
import dev.stiggsidecar.sidecar.SidecarHarness;
import dev.stiggsidecar.sidecar.cache.CachingEntitlementStore;
import dev.stiggsidecar.sidecar.cache.CaffeineEntitlementCache;
import dev.stiggsidecar.sidecar.config.ConfigLoader;
import dev.stiggsidecar.sidecar.metrics.SidecarMetrics;
import dev.stiggsidecar.sidecar.realtime.RealtimeUpdates;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import dev.stiggsidecar.stigg.upstream.EntitlementJson;
import dev.stiggsidecar.stigg.upstream.UpstreamException;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * Every input that reaches the sidecar from outside its process, fuzzed: the environment (with
 * {@code ENTITLEMENTS_FALLBACK}), raw gRPC request bytes for every method, Redis values another
 * writer left, and Stigg's real-time messages. The first byte picks the input; the rest is it.
 *
 * <p>What must hold: a configuration is either loaded or refused with problems that each name the
 * variable; a gRPC call answers OK or a status a client can act on, never {@code INTERNAL} or
 * {@code UNKNOWN}; a Redis value is read or treated as a miss; a real-time message is applied or
 * ignored. No other exception, and (Jazzer watches) no hang or unbounded allocation.
 */
class OutsideInputsFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VARIABLES = List.of(SidecarEnv.SERVER_API_KEY, SidecarEnv.API_URL,
      SidecarEnv.EDGE_ENABLED, SidecarEnv.EDGE_API_URL, SidecarEnv.WS_ENABLED, SidecarEnv.WS_URL,
      SidecarEnv.ENTITLEMENTS_FALLBACK, SidecarEnv.CACHE_MAX_SIZE_BYTES, SidecarEnv.OFFLINE, SidecarEnv.PORT,
      SidecarEnv.LOG_LEVEL, SidecarEnv.REDIS_ENVIRONMENT_PREFIX, SidecarEnv.REDIS_HOST, SidecarEnv.REDIS_PORT,
      SidecarEnv.REDIS_DB, SidecarEnv.REDIS_USERNAME, SidecarEnv.REDIS_PASSWORD, SidecarEnv.REDIS_TLS,
      SidecarEnv.REDIS_KEYS_TTL_IN_SECS, SidecarEnv.REDIS_NEAR_CACHE, SidecarEnv.HTTP_PORT,
      SidecarEnv.GRPC_BIND_ADDRESS, SidecarEnv.HTTP_BIND_ADDRESS, SidecarEnv.UPSTREAM_TIMEOUT_MS,
      SidecarEnv.CACHE_MAX_STALENESS_SECS, SidecarEnv.SHUTDOWN_GRACE_SECS, SidecarEnv.REDIS_STARTUP_WAIT_MS,
      SidecarEnv.CACHE_REVALIDATION_RATE);
  /** Statuses a client can act on; INTERNAL and UNKNOWN would mean the sidecar did not handle the input. */
  private static final Set<Status.Code> ANSWERS = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
      Status.Code.FAILED_PRECONDITION, Status.Code.UNAVAILABLE, Status.Code.UNIMPLEMENTED);
  private static final List<MethodDescriptor<?, ?>> METHODS = SidecarServiceGrpc.getServiceDescriptor().getMethods()
      .stream().filter(method -> method.getType() == MethodDescriptor.MethodType.UNARY).toList();

  /** A store the real-time messages are applied to; Stigg is never reached. */
  private static final RealtimeUpdates UPDATES = new RealtimeUpdates(new CachingEntitlementStore(
      new CaffeineEntitlementCache(1 << 20), (key, viaGraphql) -> CompletableFuture.failedFuture(
          new UpstreamException(UpstreamException.Kind.NETWORK, "offline", null)), new SidecarMetrics(),
      Clock.systemUTC(), System::nanoTime, Duration.ofSeconds(60), Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fuzz-scheduler");
        thread.setDaemon(true);
        return thread;
      }), 10), new EntitlementJson(new FeatureCatalog()));

  /** An offline sidecar for the gRPC inputs, started once per fuzzing run. */
  private static SidecarHarness sidecar;

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({"{", "}", "[", "]", "\"hasAccess\"", "\"usageLimit\"", "\"value\"", "\"isUnlimited\"",
      "\"enumValues\"", "\"metered\"", "true", "null", "1e309", "\"customerId\"", "\"entitlements\"",
      "\"feature\"", "\"featureType\"", "\"NUMBER\"", "\"meterType\"", "\"Incremental\"", "\"currentUsage\"",
      "\"calculatedEntitlement\"", "\"usage\"", "\"featureId\"", "\"usagePeriodEnd\"", "\"currency\"",
      "\"currentBalance\"", "\"migrationType\"", "\"ALL_CUSTOMERS\"", "\"resourceId\"", "="})
  void everyOutsideInput(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    switch (Byte.toUnsignedInt(input[0]) % 5) {
      case 0 -> environment(Map.of(SidecarEnv.ENTITLEMENTS_FALLBACK, text(rest)));
      case 1 -> environment(lines(rest));
      case 2 -> grpcRequest(rest);
      case 3 -> redisValue(rest);
      default -> realtimeMessage(rest);
    }
  }

  /** {@code NAME=value} lines; a name is one of the sidecar's variables, picked by the line's first character. */
  private static Map<String, String> lines(byte[] bytes) {
    Map<String, String> env = new HashMap<>();
    for (String line : text(bytes).split("\n", -1)) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        env.put(VARIABLES.get(line.charAt(0) % VARIABLES.size()), line.substring(equals + 1));
      }
    }
    return env;
  }

  private static void environment(Map<String, String> variables) {
    Map<String, String> env = new HashMap<>(Map.of(SidecarEnv.SERVER_API_KEY, "fuzz-key"));
    env.putAll(variables);
    try {
      ConfigLoader.load(env, 512L * 1024 * 1024);
    } catch (ConfigException refused) {
      assertThat(refused.problems()).isNotEmpty().allSatisfy(problem -> assertThat(VARIABLES)
          .as("the problem names its variable: %s", problem)
          .anyMatch(name -> problem.startsWith(name + ":") || problem.startsWith(name + ".")));
    }
  }

  private static void grpcRequest(byte[] bytes) throws Exception {
    if (bytes.length == 0) {
      return;
    }
    MethodDescriptor<?, ?> method = METHODS.get(Byte.toUnsignedInt(bytes[0]) % METHODS.size());
    Status.Code code;
    try {
      RawUnaryCall.call(sidecar().channel(), method.getFullMethodName(), Arrays.copyOfRange(bytes, 1, bytes.length));
      code = Status.Code.OK;
    } catch (StatusRuntimeException e) {
      code = e.getStatus().getCode();
    }
    assertThat(ANSWERS).as(method.getFullMethodName() + " answered " + code).contains(code);
  }

  private static void redisValue(byte[] bytes) {
    String[] parts = text(bytes).split("\u0000", 2);
    String map = parts[0];
    String usage = parts.length > 1 ? parts[1] : "{\"currentUsage\":1}";
    RedisCodec codec = new RedisCodec(new RedisKeys("fuzz"), new EntitlementJson(new FeatureCatalog()));
    codec.decode(map).ifPresent(decoded -> {
      Map<String, String> usageValues = new HashMap<>();
      decoded.meteredFeatures().forEach(feature -> usageValues.put(feature, usage));
      codec.read(decoded, usageValues, 1L);
    });
    codec.read(map, Map.of(), 1L);
  }

  private static void realtimeMessage(byte[] bytes) throws Exception {
    JsonNode payload;
    try {
      payload = JSON.readTree(text(bytes));
    } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
      return;
    }
    if (payload == null || !payload.isObject()) {
      return;
    }
    UPDATES.entitlementsUpdated(payload);
    UPDATES.usageUpdated(payload);
    UPDATES.packagePublished(payload);
    UPDATES.creditBalanceUpdated(payload);
  }

  private static synchronized SidecarHarness sidecar() throws Exception {
    if (sidecar == null) {
      sidecar = SidecarHarness.startWithoutWaiting(URI.create("http://127.0.0.1:9"), "",
          Map.of("OFFLINE", "true", "LOG_LEVEL", "error"));
    }
    return sidecar;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
