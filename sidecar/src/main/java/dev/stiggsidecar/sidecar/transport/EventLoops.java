package dev.stiggsidecar.sidecar.transport;

import dev.stiggsidecar.redis.SharedEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's network threads: one group of Netty event loops that serves gRPC and, in Redis
 * mode, carries the Redis connections too.
 *
 * <p>Why one group: a check answered from Redis reads the gRPC request, sends a Redis command,
 * reads the reply and writes the gRPC response. With gRPC and Lettuce on loops of their own, each
 * check woke a second thread and then the first again; at one check in flight those hand-offs cost
 * more CPU than the check itself (the Redis rows of {@code benchmarks/results/results.md}). On one
 * loop the whole check runs on one thread.
 *
 * <p>Placement: the listening socket and the Redis connections live on the group's first loop,
 * and accepted connections are handed out round-robin starting with that same loop. So an
 * application's first connection, usually its only one, shares the Redis connections' thread.
 *
 * <p>Size: one loop per processor the JVM may use (a container's CPU limit, rounded up). A loop
 * starts its thread only when a connection is first placed on it, so a sidecar with one client
 * connection runs all its network I/O on one thread.
 */
public final class EventLoops implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

  private final EventLoopGroup group;
  private final EventLoop first;
  private final boolean epoll;

  EventLoops(int loops, boolean epoll) {
    this.epoll = epoll;
    IoHandlerFactory handler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("sidecar-io", true), handler);
    // Iterating does not advance the group's round-robin, which therefore still starts here.
    this.first = (EventLoop) group.iterator().next();
  }

  /**
   * One loop per available processor, on the native epoll transport where it loads, else NIO. On
   * Linux epoll should load; when it does not (a missing system library, a {@code /tmp} mounted
   * {@code noexec}), the sidecar still works, with more CPU per call, and says why once.
   */
  public static EventLoops forThisMachine() {
    boolean epoll = Epoll.isAvailable();
    if (!epoll && System.getProperty("os.name", "").startsWith("Linux")) {
      log.info("network I/O runs on Java NIO: Netty's native epoll transport did not load ({})",
          Epoll.unavailabilityCause().toString());
    }
    return new EventLoops(Runtime.getRuntime().availableProcessors(), epoll);
  }

  /** The group that accepted connections are spread over. */
  public EventLoopGroup group() {
    return group;
  }

  /** The loop of the listening socket, on which the first accepted connection lands too. */
  public EventLoop first() {
    return first;
  }

  public Class<? extends ServerChannel> serverChannel() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** Where Redis's connections go: the first loop. */
  public SharedEventLoop forRedis() {
    return new SharedEventLoop(first, epoll ? EpollSocketChannel.class : NioSocketChannel.class);
  }

  /** After everything that runs on the loops has closed: their remaining tasks run, then the threads end. */
  @Override
  public void close() {
    group.shutdownGracefully(0, Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
