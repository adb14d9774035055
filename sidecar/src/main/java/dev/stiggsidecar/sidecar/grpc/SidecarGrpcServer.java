package dev.stiggsidecar.sidecar.grpc;

import dev.stiggsidecar.sidecar.transport.EventLoops;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC endpoint: plaintext HTTP/2 (what Stigg's SDK clients speak since 3.0), the sidecar
 * service, the standard {@code grpc.health.v1} service and server reflection. Handlers run directly
 * on the transport's event loop ({@code directExecutor}): the service never blocks there. The loops
 * are the sidecar's {@link EventLoops}, which the Redis connections share; the server neither
 * starts nor stops them.
 */
public final class SidecarGrpcServer implements AutoCloseable {

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Duration grace;

  public SidecarGrpcServer(InetSocketAddress address, EventLoops loops, BindableService service,
      GrpcCallMetrics metrics, Duration grace) {
    this.grace = grace;
    this.server = NettyServerBuilder.forAddress(address)
        .channelType(loops.serverChannel())
        .bossEventLoopGroup(loops.first())
        .workerEventLoopGroup(loops.group())
        .directExecutor()
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .addService(ServedMethods.wrap(service.bindService(), metrics))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build();
  }

  public SidecarGrpcServer start() throws IOException {
    server.start();
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(SidecarServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    return this;
  }

  public int port() {
    return server.getPort();
  }

  /** Stops taking calls, lets calls in flight finish within the grace period, then stops. */
  @Override
  public void close() throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
