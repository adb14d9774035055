package dev.stiggsidecar.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes values with Stigg's last-writer-wins rule: a key is written only if it has no
 * {@code #timestamp}, or its stored timestamp is not newer than the new one, or the new timestamp is
 * 0 ("no timestamp"). Every key and its timestamp get the TTL. The comparison and the writes run as
 * one Lua script, so no other writer can slip between them; an older message never overwrites a
 * newer one, whatever order they arrive in.
 */
public final class LastWriterWins {

  /** KEYS: key1, key1#timestamp, key2, ...; ARGV: ttl, value1, timestamp1, value2, ... */
  static final String SCRIPT = """
      local ttl = ARGV[1]
      local written = 0
      for i = 1, #KEYS, 2 do
        local value = ARGV[i + 1]
        local timestamp = ARGV[i + 2]
        local stored = redis.call('GET', KEYS[i + 1])
        if (not stored) or tonumber(timestamp) == 0 or tonumber(stored) <= tonumber(timestamp) then
          redis.call('SET', KEYS[i], value, 'EX', ttl)
          redis.call('SET', KEYS[i + 1], timestamp, 'EX', ttl)
          written = written + 1
        end
      end
      return written
      """;

  private LastWriterWins() {}

  /** Writes {@code values}; answers how many keys were written (the others held newer data). */
  public static CompletableFuture<Long> write(RedisAsyncCommands<String, String> redis, RedisValues values,
      long ttlSeconds) {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(String.valueOf(ttlSeconds));
    for (RedisValues.Entry entry : values.entries()) {
      keys.add(entry.key());
      keys.add(RedisKeys.timestamp(entry.key()));
      args.add(entry.value());
      args.add(String.valueOf(entry.timestamp()));
    }
    return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, keys.toArray(new String[0]), args.toArray(new String[0]))
        .toCompletableFuture();
  }
}
