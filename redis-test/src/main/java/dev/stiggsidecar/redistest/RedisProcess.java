package dev.stiggsidecar.redistest;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import redis.embedded.RedisServer;

/** A real redis-server (the binary the embedded-redis jar ships) on a free loopback port. */
public final class RedisProcess implements AutoCloseable {

  private final int port;
  private final List<String> settings;
  private RedisServer server;

  private RedisProcess(int port, List<String> settings) {
    this.port = port;
    this.settings = settings;
  }

  public static RedisProcess start() throws IOException {
    return start(List.of());
  }

  /**
   * Starts with the command-line arguments a container would pass to {@code redis-server}
   * ({@code --requirepass secret ...}), on a free loopback port and without persistence.
   */
  public static RedisProcess start(List<String> arguments) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisProcess redis = new RedisProcess(port, settings(arguments));
    redis.restart();
    return redis;
  }

  /** {@code --name value} pairs as configuration lines {@code name value} (an empty value quoted). */
  private static List<String> settings(List<String> arguments) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < arguments.size(); i += 2) {
      if (!arguments.get(i).startsWith("--") || i + 1 >= arguments.size()) {
        throw new IllegalArgumentException("expected --name value pairs, got " + arguments);
      }
      String value = arguments.get(i + 1);
      lines.add(arguments.get(i).substring(2) + " " + (value.isEmpty() ? "\"\"" : value));
    }
    return List.copyOf(lines);
  }

  public int port() {
    return port;
  }

  /** Starts (again) on the same port, with no persistence. */
  public void restart() throws IOException {
    var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
        .setting("appendonly no");
    settings.forEach(builder::setting);
    server = builder.build();
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
