package dev.stiggsidecar.benchmarks;

import com.google.protobuf.Empty;
import dev.stiggsidecar.logging.JsonLogProvider;
import dev.stiggsidecar.logging.LogSetup;
import dev.stiggsidecar.redis.SharedEventLoop;
import dev.stiggsidecar.redis.SharedLoopResources;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The floor of a hit: a bare grpc-java server, in a JVM of its own with the sidecar's JVM settings,
 * with one unary method that takes and returns {@code google.protobuf.Empty}, run on the transport
 * thread (direct executor), and nothing else: no interceptor, no metrics, no lookup. Whatever the sidecar spends
 * above this on a cache hit is the sidecar's.
 *
 * <p>Given a Redis port, the same method answers only once a Lettuce {@code GET} of {@link #REDIS_KEY}
 * has: the floor of any gRPC service that answers from Redis with these two libraries. By default
 * each library runs its own event loops, as they do when combined without care, so each call
 * crosses from one thread to the other and back. With {@value #ONE_LOOP}, both run on one loop, as
 * the sidecar runs them. The sidecar's Redis mode without its near cache is measured against both.
 *
 * <p>{@code java -cp stigg-benchmarks.jar dev.stiggsidecar.benchmarks.FloorServer <port> [<redis-port> [one-loop]]}
 */
public final class FloorServer {

  /** The method's name, for the load generator. */
  public static final String METHOD = "bench.Floor/Empty";
  static final String READY = "floor server is ready";
  /** The argument that puts grpc-java and Lettuce on one event loop. */
  static final String ONE_LOOP = "one-loop";
  /** The key the Redis floor reads: a customer map of the benchmark's Redis-mode sidecars. */
  static final String REDIS_KEY = "bench:c_acme";
  /** {@code google.protobuf.Empty} both ways, through grpc-java's protobuf marshaller as generated stubs use. */
  static final MethodDescriptor<Empty, Empty> EMPTY = MethodDescriptor.<Empty, Empty>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(METHOD)
      .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance())).build();

  private FloorServer() {}

  public static void main(String[] args) throws Exception {
    JsonLogProvider.select();
    // Netty and gRPC log every frame at debug level; the floor must not pay for that.
    LogSetup.configure("warn", List.of());
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
    Server server;
    if (args.length > 2 && args[2].equals(ONE_LOOP)) {
      server = oneLoop(address, Integer.parseInt(args[1]));
    } else {
      Empty empty = Empty.getDefaultInstance();
      ServerCalls.UnaryMethod<Empty, Empty> method = args.length > 1
          ? afterGet(RedisClient.create("redis://127.0.0.1:" + args[1]).connect().async())
          : (request, response) -> {
            response.onNext(empty);
            response.onCompleted();
          };
      server = NettyServerBuilder.forAddress(address).directExecutor().addService(service(method)).build();
    }
    server.start();
    System.out.println(READY);
    server.awaitTermination();
  }

  /**
   * The method answering after a {@code GET}, with grpc-java and Lettuce on one event loop as the
   * sidecar runs them: the listening socket, the accepted connection and the Redis connection on
   * one thread, so that no call changes threads.
   */
  private static Server oneLoop(InetSocketAddress address, int redisPort) throws IOException {
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    // The same hand-over of the loop to Lettuce as the sidecar's (wiring only, no sidecar logic).
    ClientResources resources = SharedLoopResources.on(new SharedEventLoop((EventLoop) loop.iterator().next(),
            epoll ? EpollSocketChannel.class : NioSocketChannel.class))
        .orElseThrow(() -> new IllegalStateException("Lettuce picks another transport than the loop's"));
    RedisAsyncCommands<String, String> redis = RedisClient.create(resources, "redis://127.0.0.1:" + redisPort)
        .connect().async();
    return NettyServerBuilder.forAddress(address)
        .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .bossEventLoopGroup(loop).workerEventLoopGroup(loop)
        .directExecutor()
        .addService(service(afterGet(redis)))
        .build();
  }

  private static ServerCalls.UnaryMethod<Empty, Empty> afterGet(RedisAsyncCommands<String, String> redis) {
    Empty empty = Empty.getDefaultInstance();
    return (request, response) -> redis.get(REDIS_KEY).whenComplete((value, error) -> {
      if (error == null) {
        response.onNext(empty);
        response.onCompleted();
      } else {
        response.onError(error);
      }
    });
  }

  private static ServerServiceDefinition service(ServerCalls.UnaryMethod<Empty, Empty> method) {
    return ServerServiceDefinition.builder("bench.Floor").addMethod(EMPTY, ServerCalls.asyncUnaryCall(method)).build();
  }
}
