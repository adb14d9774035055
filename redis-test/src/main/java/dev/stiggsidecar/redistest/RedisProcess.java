package dev.stiggsidecar.redistest;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A real redis-server (the binary the embedded-redis jar ships) on a free loopback port. */
public final class RedisProcess implements AutoCloseable {

  private final int port;
  private RedisServer server;

  private RedisProcess(int port) {
    this.port = port;
  }

  public static RedisProcess start() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisProcess redis = new RedisProcess(port);
    redis.restart();
    return redis;
  }

  public int port() {
    return port;
  }

  /** Starts (again) on the same port, with no persistence. */
  public void restart() throws IOException {
    server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
        .setting("appendonly no").build();
    server.start();
  }

  public void stop() throws IOException {
    server.stop();
  }

  @Override
  public void close() throws IOException {
    if (server != null && server.isActive()) {
      server.stop();
    }
  }
}
