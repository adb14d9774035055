package dev.stiggsidecar.operator.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leader among the operator's replicas, and a prompt handover when it stops.
 *
 * <p>A replica that loses its lease while running exits, so that it cannot reconcile beside the
 * new leader and restarts clean. A replica that is stopping ({@code SIGTERM}: a rollout, an
 * eviction) instead gives the lease up once its reconciliations have finished, so that a standby
 * takes over within one retry period rather than waiting for the lease to expire. Calling
 * {@code System.exit} from the shutdown itself, as the default lease-loss handling would, blocks
 * the JVM's exit until the kubelet kills it.
 */
public final class LeaderElection {

  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final LeaderLease lease;
  private final KubernetesClient client;
  private final AtomicBoolean stopping = new AtomicBoolean();

  public LeaderElection(LeaderLease lease, KubernetesClient client) {
    this.lease = lease;
    this.client = client;
  }

  public LeaderElectionConfiguration configuration() {
    return new LeaderElectionConfiguration(lease.name(), lease.namespace(), lease.leaseDuration(),
        lease.renewDeadline(), lease.retryPeriod(), lease.identity(),
        new LeaderCallbacks(this::started, this::lost, this::observed), false);
  }

  /** Called before the operator stops: losing the lease from now on is expected. */
  public void stopping() {
    stopping.set(true);
  }

  /** Gives the lease up if this replica still holds it; call after the operator has stopped. */
  public void release() {
    try {
      Lease current = client.resources(Lease.class).inNamespace(lease.namespace()).withName(lease.name()).get();
      if (current == null || current.getSpec() == null || !lease.identity().equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      current.getSpec().setHolderIdentity(null);
      current.getSpec().setLeaseDurationSeconds(1);
      current.getSpec().setAcquireTime(now);
      current.getSpec().setRenewTime(now);
      // An update carries the resourceVersion read above: if another replica has taken the lease
      // in between, this fails with a conflict and changes nothing.
      client.resource(current).update();
      log.info("released the leader lease {}/{}", lease.namespace(), lease.name());
    } catch (KubernetesClientException e) {
      log.warn("could not release the leader lease {}/{} ({}); a standby takes over when it expires",
          lease.namespace(), lease.name(), e.getMessage());
    }
  }

  private void started() {
    log.info("leading as {}: reconciling", lease.identity());
  }

  private void observed(String leader) {
    if (!lease.identity().equals(leader)) {
      log.info("standing by; {} leads", leader);
    }
  }

  private void lost() {
    if (stopping.get()) {
      return;
    }
    log.error("lost the leader lease {}/{} (the API server was unreachable for longer than the renew deadline, "
        + "or another replica took it); exiting so that this replica restarts as a standby",
        lease.namespace(), lease.name());
    Thread exit = new Thread(() -> System.exit(1), "lease-lost");
    exit.start();
  }
}
