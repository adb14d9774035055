package dev.stiggsidecar.redis;

/**
 * A reader that keeps in-process copies of what it read from Redis, kept coherent by Redis's
 * server-assisted client-side caching ({@code CLIENT TRACKING} on the connection that reads).
 * {@link RedisGateway} tells it when tracking starts and stops and what Redis invalidates.
 */
public interface TrackedReads {

  /** Tracking is (again) confirmed on a fresh connection. */
  void trackingOn();

  /** The connection is lost or refused tracking: invalidations may be missed until it is on again. */
  void trackingLost();

  /** Redis says {@code redisKey} changed. */
  void invalidate(String redisKey);

  /** Redis announced that everything changed (a flush). */
  void clear();
}
