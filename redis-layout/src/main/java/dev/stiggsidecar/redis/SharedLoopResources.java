package dev.stiggsidecar.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's resources with every connection on a {@link SharedEventLoop}: Lettuce then neither
 * creates nor shuts down I/O threads of its own.
 *
 * <p>Lettuce picks its socket channel type itself, from the native transports it finds and its
 * own switches ({@code io.lettuce.core.epoll}), and a channel registers only on a loop of the same
 * transport. So the loop is shared only when Lettuce's pick is the loop's; otherwise Lettuce keeps
 * its own threads, which is slower by two thread hand-offs per command but otherwise the same.
 */
public final class SharedLoopResources {

  private SharedLoopResources() {}

  /**
   * @return empty when Lettuce would open a channel of another type than the loop takes; the
   *     caller shuts the resources down (a client does not shut down resources it was given)
   */
  public static Optional<ClientResources> on(SharedEventLoop shared) {
    if (!lettuceChannel().equals(shared.socketChannel())) {
      return Optional.empty();
    }
    return Optional.of(DefaultClientResources.builder().eventLoopGroupProvider(new GivenLoop(shared)).build());
  }

  static Class<? extends Channel> lettuceChannel() {
    return Transports.socketChannelClass();
  }

  /** Hands Lettuce the shared loop whatever group type it asks for; its owner shuts it down. */
  private static final class GivenLoop implements EventLoopGroupProvider {
    private final SharedEventLoop shared;

    GivenLoop(SharedEventLoop shared) {
      this.shared = shared;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
      return (T) shared.loop();
    }

    @Override
    public int threadPoolSize() {
      return 1;
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
  }
}
