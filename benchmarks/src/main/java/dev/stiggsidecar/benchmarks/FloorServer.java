package dev.stiggsidecar.benchmarks;

import com.google.protobuf.Empty;
import dev.stiggsidecar.logging.LogSetup;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The floor of a hit: a bare grpc-java server, in a JVM of its own with the sidecar's JVM settings,
 * with one unary method that takes and returns {@code google.protobuf.Empty}, run on the transport
 * thread (direct executor), and nothing else: no interceptor, no metrics, no lookup. Whatever the sidecar spends
 * above this on a cache hit is the sidecar's.
 *
 * <p>Given a Redis port, the same method answers only once a Lettuce {@code GET} of {@link #REDIS_KEY}
 * has: the floor of any gRPC service that answers from Redis with these two libraries, which run
 * separate event loops (grpc-java's shaded Netty, Lettuce's own), so each call crosses from one to
 * the other and back. The sidecar's Redis mode without its near cache is measured against it.
 *
 * <p>{@code java -cp stigg-benchmarks.jar dev.stiggsidecar.benchmarks.FloorServer <port> [<redis-port>]}
 */
public final class FloorServer {

  /** The method's name, for the load generator. */
  public static final String METHOD = "bench.Floor/Empty";
  static final String READY = "floor server is ready";
  /** The key the Redis floor reads: a customer map of the benchmark's Redis-mode sidecars. */
  static final String REDIS_KEY = "bench:c_acme";
  /** {@code google.protobuf.Empty} both ways, through grpc-java's protobuf marshaller as generated stubs use. */
  static final MethodDescriptor<Empty, Empty> EMPTY = MethodDescriptor.<Empty, Empty>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(METHOD)
      .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance())).build();

  private FloorServer() {}

  public static void main(String[] args) throws Exception {
    // Netty and gRPC log every frame at debug level; the floor must not pay for that.
    LogSetup.configure("warn", List.of());
    Empty empty = Empty.getDefaultInstance();
    ServerCalls.UnaryMethod<Empty, Empty> method = (request, response) -> {
      response.onNext(empty);
      response.onCompleted();
    };
    if (args.length > 1) {
      RedisAsyncCommands<String, String> redis = RedisClient.create("redis://127.0.0.1:" + args[1]).connect().async();
      method = (request, response) -> redis.get(REDIS_KEY).whenComplete((value, error) -> {
        if (error == null) {
          response.onNext(empty);
          response.onCompleted();
        } else {
          response.onError(error);
        }
      });
    }
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))
        .directExecutor()
        .addService(ServerServiceDefinition.builder("bench.Floor")
            .addMethod(EMPTY, ServerCalls.asyncUnaryCall(method))
            .build())
        .build().start();
    System.out.println(READY);
    server.awaitTermination();
  }
}
