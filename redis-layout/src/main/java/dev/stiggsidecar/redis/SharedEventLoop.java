package dev.stiggsidecar.redis;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * An event loop that the caller owns and on which a {@link RedisGateway} runs its connections,
 * instead of on threads of Lettuce's own.
 *
 * <p>Why: a service that answers from Redis hands each request to Lettuce's thread and each reply
 * back to its own. When both sides run on one loop, a command goes out and its reply comes back on
 * the thread that serves the request, without waking another thread either way.
 *
 * @param loop the loop; the caller shuts it down after closing the gateway
 * @param socketChannel the socket channel type that the loop's transport registers (epoll or NIO)
 */
public record SharedEventLoop(EventLoop loop, Class<? extends Channel> socketChannel) {}
