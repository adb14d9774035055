package dev.stiggsidecar.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the status conditions, keeping a condition's {@code lastTransitionTime} while its status
 * stays the same, as Kubernetes conventions ask.
 */
final class Conditions {

  static final String READY = "Ready";
  static final String CONFIG_READY = "ConfigReady";
  static final String REDIS_READY = "RedisReady";
  static final String PERSISTENT_CACHE_READY = "PersistentCacheReady";
  static final String STANDALONE_READY = "StandaloneReady";

  private final List<Condition> previous;
  private final long generation;
  private final Clock clock;
  private final List<Condition> conditions = new ArrayList<>();

  Conditions(List<Condition> previous, long generation, Clock clock) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.clock = clock;
  }

  Conditions set(String type, String status, String reason, String message) {
    String since = previous.stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .findFirst()
        .orElseGet(() -> clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    conditions.add(new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(since).build());
    return this;
  }

  /** The status of a condition set earlier, or {@code Unknown}. */
  String status(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).map(Condition::getStatus).findFirst().orElse("Unknown");
  }

  /** The previous status of a condition, or {@code Unknown}. */
  String previousStatus(String type) {
    return previous.stream().filter(c -> type.equals(c.getType())).map(Condition::getStatus).findFirst().orElse("Unknown");
  }

  List<Condition> list() {
    return List.copyOf(conditions);
  }
}
