package dev.stiggsidecar.stigg.upstream;

import java.time.Duration;

/** What the Stigg API client counts, implemented by each process's metrics. */
public interface UpstreamMetrics {

  /** One call to Stigg: its operation, {@code ok} or the error kind, and how long it took. */
  void upstreamCall(String operation, String outcome, Duration duration);

  /** Stigg refused the API key. */
  void invalidApiKey();

  /** Stigg could not be reached. */
  void networkError();
}
