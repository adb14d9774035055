package dev.stiggsidecar.sidecar.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stiggsidecar.redis.RedisGateway;
import dev.stiggsidecar.redis.RedisSettings;
import dev.stiggsidecar.redistest.RedisProcess;
import dev.stiggsidecar.sidecar.grpc.GrpcCallMetrics;
import dev.stiggsidecar.sidecar.grpc.SidecarGrpcServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementResponse;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where the sidecar's connections run: an application's first connection and the Redis
 * connections on one thread, so that a check read from Redis never changes threads; further
 * connections go to the other loops.
 */
class EventLoopsTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void theFirstConnectionIsServedOnTheThreadThatRedisRepliesOn() throws Exception {
    ConcurrentLinkedQueue<Thread> handlerThreads = new ConcurrentLinkedQueue<>();
    try (RedisProcess redisServer = RedisProcess.start();
        EventLoops loops = new EventLoops(2, Epoll.isAvailable())) {
      try (RedisGateway redis = gateway(redisServer, loops)) {
        Thread redisReplies = replyThread(redis);

        SidecarGrpcServer server = new SidecarGrpcServer(new InetSocketAddress("127.0.0.1", 0), loops,
            recordingThreads(handlerThreads), new GrpcCallMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(1))
            .start();
        List<ManagedChannel> channels = List.of(channel(server.port()), channel(server.port()));
        try {
          for (ManagedChannel channel : channels) {
            SidecarServiceGrpc.newBlockingStub(channel)
                .getBooleanEntitlement(GetBooleanEntitlementRequest.newBuilder().setCustomerId("c").build());
          }
        } finally {
          channels.forEach(ManagedChannel::shutdownNow);
          server.close();
        }

        assertThat(redisReplies.getName()).startsWith("sidecar-io");
        List<Thread> served = List.copyOf(handlerThreads);
        assertThat(served).hasSize(2);
        assertThat(served.get(0)).as("the first connection's loop is the one Redis replies on").isSameAs(redisReplies);
        assertThat(served.get(1)).as("the second connection goes to the next loop").isNotSameAs(redisReplies);
      }
    }
  }

  /** A loop Lettuce cannot register its channels on is left alone: Redis works on Lettuce's own threads. */
  @Test
  void aLoopOfAnotherTransportThanLettucesIsNotShared() throws Exception {
    assumeTrue(Epoll.isAvailable(), "Lettuce opens NIO channels here too, so the transports agree");
    try (RedisProcess redisServer = RedisProcess.start();
        EventLoops nio = new EventLoops(1, false);
        RedisGateway redis = gateway(redisServer, nio)) {
      Thread redisReplies = replyThread(redis);
      Thread nioLoop = nio.first().submit(Thread::currentThread).get(5, TimeUnit.SECONDS);

      assertThat(redisReplies).isNotSameAs(nioLoop);
      assertThat(redisReplies.getName()).startsWith("lettuce-");
    }
  }

  private RedisGateway gateway(RedisProcess redisServer, EventLoops loops) throws Exception {
    RedisSettings settings = new RedisSettings("test", "127.0.0.1", redisServer.port(), 0, Optional.empty(),
        Optional.empty(), false, Duration.ofMinutes(1), false, Duration.ofSeconds(5));
    RedisGateway redis = new RedisGateway(settings, scheduler, Optional.empty(), Optional.empty(),
        Optional.of(loops.forRedis()));
    redis.start().get(10, TimeUnit.SECONDS);
    return redis;
  }

  /** The thread a reply completes on: the callback is attached before the command is sent. */
  private static Thread replyThread(RedisGateway redis) throws Exception {
    RedisAsyncCommands<String, String> commands = redis.commands().orElseThrow();
    StatefulRedisConnection<String, String> connection = commands.getStatefulConnection();
    connection.setAutoFlushCommands(false);
    try {
      CompletableFuture<Thread> thread = commands.ping().toCompletableFuture()
          .thenApply(pong -> Thread.currentThread());
      connection.flushCommands();
      return thread.get(10, TimeUnit.SECONDS);
    } finally {
      connection.setAutoFlushCommands(true);
    }
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private static SidecarServiceGrpc.SidecarServiceImplBase recordingThreads(ConcurrentLinkedQueue<Thread> threads) {
    return new SidecarServiceGrpc.SidecarServiceImplBase() {
      @Override
      public void getBooleanEntitlement(GetBooleanEntitlementRequest request,
          StreamObserver<GetBooleanEntitlementResponse> observer) {
        threads.add(Thread.currentThread());
        observer.onNext(GetBooleanEntitlementResponse.getDefaultInstance());
        observer.onCompleted();
      }
    };
  }
}
