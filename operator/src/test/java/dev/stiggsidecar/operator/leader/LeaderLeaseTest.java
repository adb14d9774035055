package dev.stiggsidecar.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderLeaseTest {

  @Test
  void offWithoutANamespaceAndDefaultTimingWithOne() {
    assertThat(LeaderLease.fromEnv(Map.of())).isEmpty();
    LeaderLease lease = LeaderLease.fromEnv(Map.of("LEADER_ELECTION_NAMESPACE", "stigg-system", "HOSTNAME", "op-1"))
        .orElseThrow();
    assertThat(lease.namespace()).isEqualTo("stigg-system");
    assertThat(lease.name()).isEqualTo("stigg-sidecar-operator");
    assertThat(lease.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(lease.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(lease.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(lease.identity()).startsWith("op-1_");
  }

  @Test
  void twoProcessesOfOnePodNameNeverShareAnIdentity() {
    Map<String, String> env = Map.of("LEADER_ELECTION_NAMESPACE", "stigg-system", "HOSTNAME", "op-1");
    assertThat(LeaderLease.fromEnv(env).orElseThrow().identity())
        .isNotEqualTo(LeaderLease.fromEnv(env).orElseThrow().identity());
  }

  @Test
  void everyInvalidSettingIsNamed() {
    assertThatThrownBy(() -> LeaderLease.fromEnv(Map.of("LEADER_ELECTION_NAMESPACE", "ns",
        "LEADER_ELECTION_LEASE_DURATION_SECONDS", "15s", "LEADER_ELECTION_RETRY_PERIOD_SECONDS", "0")))
        .hasMessageContaining("LEADER_ELECTION_LEASE_DURATION_SECONDS must be a whole number of seconds above 0, got \"15s\"")
        .hasMessageContaining("LEADER_ELECTION_RETRY_PERIOD_SECONDS must be a whole number of seconds above 0, got \"0\"");
    assertThatThrownBy(() -> LeaderLease.fromEnv(Map.of("LEADER_ELECTION_NAMESPACE", "ns",
        "LEADER_ELECTION_LEASE_DURATION_SECONDS", "10", "LEADER_ELECTION_RENEW_DEADLINE_SECONDS", "10")))
        .hasMessage("LEADER_ELECTION_RENEW_DEADLINE_SECONDS (10) must be less than LEADER_ELECTION_LEASE_DURATION_SECONDS (10)");
  }
}
