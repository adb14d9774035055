package dev.stiggsidecar.stigg.realtime;

/** What the real-time feed counts, implemented by each process's metrics. */
public interface RealtimeMetrics {

  /** An event arrived on subscription {@code field}. */
  void realtimeEvent(String field);

  /** Stigg refused the API key on the stream. */
  void invalidApiKey();
}
