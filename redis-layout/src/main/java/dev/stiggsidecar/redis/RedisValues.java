package dev.stiggsidecar.redis;

import java.util.List;

/**
 * What one fetch writes to Redis: each key with its value and the message time that decides, last
 * writer wins, whether it may replace what another writer stored.
 */
public record RedisValues(List<Entry> entries) {

  /** One key: its value and its {@code #timestamp} (epoch ms; 0 means "no timestamp", always written). */
  public record Entry(String key, String value, long timestamp) {}
}
