package dev.stiggsidecar.operator.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where and how the operator's replicas elect a leader, from the environment. Leader election is
 * on when {@code LEADER_ELECTION_NAMESPACE} is set (as {@code manifests/} does). The identity is the
 * pod name plus a random suffix, so that two processes can never share one, even on one host.
 */
public record LeaderLease(String namespace, String name, String identity, Duration leaseDuration,
    Duration renewDeadline, Duration retryPeriod) {

  public static final String NAME = "stigg-sidecar-operator";
  public static final String NAMESPACE_VARIABLE = "LEADER_ELECTION_NAMESPACE";
  public static final String LEASE_DURATION_VARIABLE = "LEADER_ELECTION_LEASE_DURATION_SECONDS";
  public static final String RENEW_DEADLINE_VARIABLE = "LEADER_ELECTION_RENEW_DEADLINE_SECONDS";
  public static final String RETRY_PERIOD_VARIABLE = "LEADER_ELECTION_RETRY_PERIOD_SECONDS";

  /**
   * @return the lease settings, or empty when leader election is off
   * @throws IllegalArgumentException naming every invalid variable
   */
  public static Optional<LeaderLease> fromEnv(Map<String, String> env) {
    String namespace = env.getOrDefault(NAMESPACE_VARIABLE, "").trim();
    if (namespace.isEmpty()) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    Duration lease = seconds(env, LEASE_DURATION_VARIABLE, 15, problems);
    Duration renew = seconds(env, RENEW_DEADLINE_VARIABLE, 10, problems);
    Duration retry = seconds(env, RETRY_PERIOD_VARIABLE, 2, problems);
    if (problems.isEmpty() && renew.compareTo(lease) >= 0) {
      problems.add(RENEW_DEADLINE_VARIABLE + " (" + renew.toSeconds() + ") must be less than "
          + LEASE_DURATION_VARIABLE + " (" + lease.toSeconds() + ")");
    }
    if (problems.isEmpty() && retry.compareTo(renew) >= 0) {
      problems.add(RETRY_PERIOD_VARIABLE + " (" + retry.toSeconds() + ") must be less than "
          + RENEW_DEADLINE_VARIABLE + " (" + renew.toSeconds() + ")");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    String host = env.getOrDefault("HOSTNAME", "").isBlank() ? "operator" : env.get("HOSTNAME");
    return Optional.of(new LeaderLease(namespace, NAME, host + "_" + UUID.randomUUID().toString().substring(0, 8),
        lease, renew, retry));
  }

  private static Duration seconds(Map<String, String> env, String variable, int defaultSeconds, List<String> problems) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return Duration.ofSeconds(defaultSeconds);
    }
    try {
      int seconds = Integer.parseInt(value.trim());
      if (seconds > 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    problems.add(variable + " must be a whole number of seconds above 0, got \"" + value + "\"");
    return Duration.ofSeconds(defaultSeconds);
  }
}
