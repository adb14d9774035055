package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.redistest.RedisProcess;
import dev.stiggsidecar.sidecar.config.ConfigLoader;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementResponse;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sidecar (re)started in Redis mode while Stigg is unreachable must answer from what Redis holds,
 * from its very first check: the situation Redis mode exists for. The check is sent the moment the
 * gRPC port accepts, so it lands in whatever window the start leaves.
 */
class RedisStartupTest {

  private RedisProcess redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private CompletableFuture<SidecarRuntime> sidecar;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    redis = RedisProcess.start();
    client = RedisClient.create("redis://127.0.0.1:" + redis.port());
    connection = client.connect();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (sidecar != null) {
      sidecar.get(30, TimeUnit.SECONDS).close();
    }
    connection.close();
    client.shutdown();
    redis.close();
  }

  @Test
  void theFirstCheckAfterAStartWithStiggDownAnswersWhatAnotherWriterPutInRedis() throws Exception {
    writeAsAnotherWriter(connection.sync());
    int grpcPort = freePort();
    startInBackground(Map.of("PORT", String.valueOf(grpcPort), "API_URL", "http://127.0.0.1:" + freePort()));

    GetMeteredEntitlementResponse first = checkAsSoonAsThePortAccepts(grpcPort);

    assertThat(first.getIsFallback()).as("answered from Redis, not from ENTITLEMENTS_FALLBACK").isFalse();
    assertThat(first.getHasAccess()).isTrue();
    assertThat(first.getEntitlement().getUsageLimit()).isEqualTo(10);
    assertThat(first.getEntitlement().getCurrentUsage()).isEqualTo(7);
  }

  /**
   * Redis accepts connections but answers nothing for 3 s ({@code CLIENT PAUSE}, which pauses all
   * commands), as a loaded or failing-over Redis does: the port must stay closed until Redis answers.
   */
  @Test
  void whileRedisDoesNotAnswerYetThePortStaysClosed() throws Exception {
    writeAsAnotherWriter(connection.sync());
    connection.sync().clientPause(3_000);
    int grpcPort = freePort();
    startInBackground(Map.of("PORT", String.valueOf(grpcPort), "API_URL", "http://127.0.0.1:" + freePort(),
        "REDIS_STARTUP_WAIT_MS", "20000"));

    GetMeteredEntitlementResponse first = checkAsSoonAsThePortAccepts(grpcPort);

    assertThat(first.getIsFallback()).as("answered from Redis, not from ENTITLEMENTS_FALLBACK").isFalse();
    assertThat(first.getEntitlement().getCurrentUsage()).isEqualTo(7);
  }

  @Test
  void withRedisUnreachableItServesAfterTheBoundedWaitAndSaysItIsDegraded() throws Exception {
    int grpcPort = freePort();
    int httpPort = freePort();
    redis.stop();
    startInBackground(Map.of("PORT", String.valueOf(grpcPort), "HTTP_PORT", String.valueOf(httpPort),
        "API_URL", "http://127.0.0.1:" + freePort(), "REDIS_STARTUP_WAIT_MS", "300"));

    GetMeteredEntitlementResponse first = checkAsSoonAsThePortAccepts(grpcPort);

    assertThat(first.getIsFallback()).as("neither Redis nor Stigg can answer").isTrue();
    assertThat(first.getEntitlement().getUsageLimit()).isEqualTo(1);
    assertThat(get(httpPort, "/readyz")).contains("\"status\":\"UP\"", "\"upstream\":\"degraded\"",
        "\"redis\":\"disconnected\"");
    assertThat(get(httpPort, "/metrics")).contains("sidecar_redis_connected 0.0");
  }

  /** Stigg's layout, as the persistent cache or another sidecar writes it. */
  private static void writeAsAnotherWriter(RedisCommands<String, String> r) {
    r.set("envp:c_prefilled", "{\"feat-met\":{\"calculatedEntitlement\":{\"type\":\"Feature\",\"feature\":{\"id\":"
        + "\"feat-met\",\"featureType\":\"NUMBER\",\"meterType\":\"Incremental\",\"units\":\"\",\"unitsPlural\":\"\"},"
        + "\"usageLimit\":10,\"hasUnlimitedUsage\":false,\"hasSoftLimit\":false,\"enumValues\":[]},\"featureUsage\":"
        + "{\"currentUsage\":0}}}");
    r.set("envp:c_prefilled#timestamp", "1");
    r.set("envp:c_prefilled:f_feat-met", "{\"currentUsage\":7}");
  }

  private void startInBackground(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of("SERVER_API_KEY", "startup-key", "HTTP_PORT", "0",
        "HTTP_BIND_ADDRESS", "127.0.0.1", "UPSTREAM_TIMEOUT_MS", "1000", "SHUTDOWN_GRACE_SECS", "1",
        "WS_ENABLED", "false", "ENTITLEMENTS_FALLBACK", "{\"feat-met\":{\"hasAccess\":true,\"usageLimit\":1}}",
        "REDIS_ENVIRONMENT_PREFIX", "envp", "REDIS_HOST", "127.0.0.1", "REDIS_PORT", String.valueOf(redis.port())));
    env.putAll(overrides);
    sidecar = CompletableFuture.supplyAsync(() -> {
      try {
        return SidecarRuntime.start(ConfigLoader.load(env, 512L * 1024 * 1024));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * Polls the port every millisecond and sends the check the moment it accepts (gRPC's own
   * wait-for-ready would retry on a backoff of a second or more and could miss a short window).
   */
  private GetMeteredEntitlementResponse checkAsSoonAsThePortAccepts(int grpcPort) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!accepts(grpcPort)) {
      assertThat(System.nanoTime()).as("the sidecar opened its gRPC port within 30 s").isLessThan(deadline);
      Thread.sleep(1);
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    return SidecarServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder().setCustomerId("prefilled")
            .setFeatureId("feat-met").build());
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
