package dev.stiggsidecar.redis;

import dev.stiggsidecar.redis.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's Redis connections: one for commands, one for pub/sub. Each is opened and retried on
 * its own until Redis answers, then kept up by Lettuce's reconnect; reads need only the command
 * connection, so a pub/sub connection that is slow to come never turns reads into misses. While
 * Redis is unreachable, commands fail at once instead of queueing, so checks go to Stigg's API
 * without delay. {@link #start()} tells when the command connection is first up, for a caller that
 * must not serve before Redis can be read.
 */
public final class RedisGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);

  private final RedisClient client;
  /** Lettuce's resources on a shared loop, which this gateway shuts down: a client does not shut down given ones. */
  private final Optional<ClientResources> sharedLoopResources;
  private final RedisURI uri;
  private final ScheduledExecutorService scheduler;
  private final Optional<BiConsumer<String, String>> messages;
  private final Optional<TrackedReads> near;
  private final CompletableFuture<Void> readable = new CompletableFuture<>();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean closed;
  private volatile boolean connectFailureLogged;

  /** The state of the connections, as {@code /readyz} reports it. */
  public enum State {
    /** Every connection this gateway needs is up. */
    CONNECTED,
    /** Commands work; the pub/sub connection is down, so misses are fetched without coordination. */
    NO_PUBSUB,
    /** Redis cannot be read. */
    DISCONNECTED
  }

  /** Connections for a writer: commands only, no near cache to keep coherent, on Lettuce's own threads. */
  public RedisGateway(RedisSettings settings, ScheduledExecutorService scheduler) {
    this(settings, scheduler, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * @param messages receives every message on the channels the pub/sub connection subscribes to;
   *     empty opens no pub/sub connection
   * @param near the near cache to keep coherent with {@code CLIENT TRACKING}, if enabled
   * @param loop the event loop to run both connections on; empty runs them on Lettuce's own threads
   */
  public RedisGateway(RedisSettings settings, ScheduledExecutorService scheduler,
      Optional<BiConsumer<String, String>> messages, Optional<TrackedReads> near, Optional<SharedEventLoop> loop) {
    RedisURI.Builder builder = RedisURI.builder().withHost(settings.host()).withPort(settings.port())
        .withDatabase(settings.database()).withSsl(settings.tls()).withTimeout(COMMAND_TIMEOUT);
    settings.password().ifPresent(password -> settings.username().ifPresentOrElse(
        username -> builder.withAuthentication(username, password.toCharArray()),
        () -> builder.withPassword(password.toCharArray())));
    this.uri = builder.build();
    this.sharedLoopResources = loop.flatMap(SharedLoopResources::on);
    if (loop.isPresent() && sharedLoopResources.isEmpty()) {
      log.info("Redis connections run on threads of their own: Lettuce opens {} channels, the shared event loop "
          + "takes {}", SharedLoopResources.lettuceChannel().getSimpleName(),
          loop.get().socketChannel().getSimpleName());
    }
    this.client = sharedLoopResources.map(RedisClient::create).orElseGet(RedisClient::create);
    this.client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
        .build());
    this.scheduler = scheduler;
    this.messages = messages;
    this.near = near;
    near.ifPresent(cache -> client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (handler == connection) {
          enableTracking(cache);
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == connection) {
          cache.trackingLost();
        }
      }
    }));
  }

  /**
   * Starts connecting (the first attempt on the calling thread, bounded by the 1 s connect
   * timeout, then in the background).
   *
   * @return completes once the command connection is up and Redis can be read
   */
  public CompletableFuture<Void> start() {
    connect();
    return readable.copy();
  }

  /** The command API, when connected. */
  public Optional<RedisAsyncCommands<String, String>> commands() {
    StatefulRedisConnection<String, String> current = connection;
    return current != null && current.isOpen() ? Optional.of(current.async()) : Optional.empty();
  }

  public Optional<StatefulRedisPubSubConnection<String, String>> pubSub() {
    StatefulRedisPubSubConnection<String, String> current = pubSub;
    return current != null && current.isOpen() ? Optional.of(current) : Optional.empty();
  }

  public boolean isConnected() {
    return state() == State.CONNECTED;
  }

  public State state() {
    if (commands().isEmpty()) {
      return State.DISCONNECTED;
    }
    return messages.isPresent() && pubSub().isEmpty() ? State.NO_PUBSUB : State.CONNECTED;
  }

  private void connect() {
    if (closed) {
      return;
    }
    // Pub/sub is tried once commands are up: while Redis refuses one, it refuses both.
    boolean missing = connectCommands() || connectPubSub();
    if (missing && !closed) {
      scheduler.schedule(this::connect, CONNECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** @return whether the command connection is still missing */
  private boolean connectCommands() {
    if (connection != null) {
      return false;
    }
    try {
      StatefulRedisConnection<String, String> commands = client.connect(StringCodec.UTF8, uri);
      near.ifPresent(cache -> commands.addListener(invalidations(cache)));
      connection = commands;
      near.ifPresent(this::enableTracking);
      readable.complete(null);
      log.info("connected to Redis at {}:{} (db {})", uri.getHost(), uri.getPort(), uri.getDatabase());
      return false;
    } catch (RuntimeException e) {
      // Once per outage, not once per retry: the retries go on every second.
      if (!connectFailureLogged) {
        connectFailureLogged = true;
        log.warn("cannot connect to Redis at {}:{} ({}); answering from Stigg's API meanwhile, retrying every {} s",
            uri.getHost(), uri.getPort(), rootMessage(e), CONNECT_RETRY.toSeconds());
      } else {
        log.debug("still cannot connect to Redis at {}:{}: {}", uri.getHost(), uri.getPort(), rootMessage(e));
      }
      return true;
    }
  }

  /** @return whether the pub/sub connection is still missing */
  private boolean connectPubSub() {
    if (pubSub != null || messages.isEmpty()) {
      return false;
    }
    try {
      StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub(StringCodec.UTF8, uri);
      subscriber.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          messages.get().accept(channel, message);
        }
      });
      pubSub = subscriber;
      return false;
    } catch (RuntimeException e) {
      log.debug("Redis pub/sub connection not up yet ({}); misses are fetched without coordination meanwhile",
          e.getMessage());
      return true;
    }
  }

  /** Asks Redis to track what this connection reads; the near cache serves only once it agrees. */
  private void enableTracking(TrackedReads cache) {
    StatefulRedisConnection<String, String> current = connection;
    if (current == null) {
      return;
    }
    current.async().clientTracking(new TrackingArgs().enabled(true)).whenComplete((ok, error) -> {
      if (error == null) {
        cache.trackingOn();
      } else {
        cache.trackingLost();
        log.warn("Redis refused CLIENT TRACKING ({}); the near cache stays off and every check reads Redis. "
            + "It needs Redis 6 or newer", error.getMessage());
      }
    });
  }

  /** Routes Redis's {@code invalidate} pushes (a list of keys, or none for a flush) to the near cache. */
  private static PushListener invalidations(TrackedReads cache) {
    return message -> {
      if (!"invalidate".equals(message.getType())) {
        return;
      }
      List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
      Object keys = content.size() > 1 ? content.get(1) : null;
      if (keys instanceof List<?> list) {
        list.forEach(key -> cache.invalidate(String.valueOf(key)));
      } else {
        cache.clear();
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    if (pubSub != null) {
      pubSub.close();
    }
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    sharedLoopResources.ifPresent(resources ->
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS));
  }

  /** Lettuce wraps the cause (refused, WRONGPASS, timeout) in generic connection exceptions. */
  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == error ? String.valueOf(error.getMessage()) : error.getMessage() + ": " + cause.getMessage();
  }
}
