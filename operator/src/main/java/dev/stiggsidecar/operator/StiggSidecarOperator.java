package dev.stiggsidecar.operator;

import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.operator.reconciler.StatusMetrics;
import dev.stiggsidecar.operator.reconciler.StiggSidecarReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the operator exactly as it ships; tests construct it through here too, against a real
 * API server. Owned objects and the status are written with server-side apply (JOSDK's default):
 * the operator owns exactly the fields it renders, so nothing it does not render is reverted, and
 * a write never fails because a controller updated the object since it was read.
 */
public final class StiggSidecarOperator {

  private StiggSidecarOperator() {}

  public static Operator create(KubernetesClient client, OperatorDefaults defaults, MeterRegistry registry,
      Optional<LeaderElectionConfiguration> leaderElection, Clock clock) {
    return create(client, defaults, registry, new StatusMetrics(registry), leaderElection, clock);
  }

  /** As above, with the status gauges given, so that {@code /metrics} can refresh them before a scrape. */
  public static Operator create(KubernetesClient client, OperatorDefaults defaults, MeterRegistry registry,
      StatusMetrics statusMetrics, Optional<LeaderElectionConfiguration> leaderElection, Clock clock) {
    Operator operator = new Operator(overrider -> {
      overrider.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      leaderElection.ifPresent(overrider::withLeaderElectionConfiguration);
    });
    operator.register(new StiggSidecarReconciler(defaults, statusMetrics, clock));
    return operator;
  }
}
