package dev.stiggsidecar.sidecar;

import dev.stiggsidecar.sidecar.config.ConfigLoader;
import dev.stiggsidecar.sidecar.config.SidecarConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real sidecar (the same runtime the jar starts) on free loopback ports, configured by the
 * environment variables a user would set, with a gRPC channel to it.
 */
public final class SidecarHarness implements AutoCloseable {

  private final SidecarRuntime runtime;
  private final ManagedChannel channel;
  private final HttpClient http = HttpClient.newHttpClient();

  private SidecarHarness(SidecarRuntime runtime) {
    this.runtime = runtime;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", runtime.grpcPort()).usePlaintext().build();
  }

  /**
   * A sidecar against the Stigg API at {@code apiBase} (Edge and websocket on the same origin),
   * returned once it reports {@code upstream: connected}: the key is checked and real-time updates
   * flow (entries fetched before the first connection are refetched once after it, so checks
   * before it could fetch twice).
   */
  public static SidecarHarness start(URI apiBase, String apiKey, Map<String, String> overrides) throws Exception {
    SidecarHarness harness = startWithoutWaiting(apiBase, apiKey, overrides);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> harness.runtime.readiness().upstream().equals("connected"));
    return harness;
  }

  /** The same, returned as soon as it serves, whatever Stigg's state. */
  public static SidecarHarness startWithoutWaiting(URI apiBase, String apiKey, Map<String, String> overrides)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SERVER_API_KEY", apiKey);
    env.put("API_URL", apiBase.toString());
    env.put("EDGE_API_URL", apiBase.toString());
    env.put("WS_URL", apiBase.toString().replaceFirst("^http", "ws"));
    env.put("PORT", "0");
    env.put("HTTP_PORT", "0");
    env.put("HTTP_BIND_ADDRESS", "127.0.0.1");
    env.put("UPSTREAM_TIMEOUT_MS", "2000");
    env.put("SHUTDOWN_GRACE_SECS", "1");
    env.putAll(overrides);
    env.values().removeIf(value -> value == null);
    SidecarConfig config = ConfigLoader.load(env, 512L * 1024 * 1024);
    return new SidecarHarness(SidecarRuntime.start(config));
  }

  public SidecarServiceGrpc.SidecarServiceBlockingStub blocking() {
    return SidecarServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  SidecarServiceGrpc.SidecarServiceFutureStub futures() {
    return SidecarServiceGrpc.newFutureStub(channel);
  }

  public ManagedChannel channel() {
    return channel;
  }

  public SidecarRuntime runtime() {
    return runtime;
  }

  /** GET on the ops port: status and body. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    runtime.close();
  }
}
