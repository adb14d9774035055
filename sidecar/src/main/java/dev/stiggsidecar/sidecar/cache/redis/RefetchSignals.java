package dev.stiggsidecar.sidecar.cache.redis;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages on the refetch channels, handed to the load waiting for them: another sidecar that took
 * the refetch lock publishes once it has written Redis.
 */
public final class RefetchSignals {

  private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

  /** A future completed by the next message on {@code channel}. */
  CompletableFuture<String> await(String channel) {
    CompletableFuture<String> signal = new CompletableFuture<>();
    waiting.put(channel, signal);
    return signal;
  }

  void forget(String channel, CompletableFuture<String> signal) {
    waiting.remove(channel, signal);
  }

  /** Called for every pub/sub message. */
  public void deliver(String channel, String message) {
    CompletableFuture<String> signal = waiting.get(channel);
    if (signal != null) {
      signal.complete(message);
    }
  }
}
