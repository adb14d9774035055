package dev.stiggsidecar.operator.reconciler;

import dev.stiggsidecar.operator.dependents.ManagedRedisCondition;
import dev.stiggsidecar.operator.dependents.PersistentCacheCondition;
import dev.stiggsidecar.operator.dependents.PersistentCacheDependent;
import dev.stiggsidecar.operator.dependents.RedisDeploymentDependent;
import dev.stiggsidecar.operator.dependents.RedisNetworkPolicyDependent;
import dev.stiggsidecar.operator.dependents.RedisServiceDependent;
import dev.stiggsidecar.operator.dependents.SidecarConfigDependent;
import dev.stiggsidecar.operator.dependents.Specs;
import dev.stiggsidecar.operator.dependents.StandaloneCondition;
import dev.stiggsidecar.operator.dependents.StandaloneDeploymentDependent;
import dev.stiggsidecar.operator.dependents.StandaloneDisruptionBudgetDependent;
import dev.stiggsidecar.operator.dependents.StandaloneNetworkPolicyDependent;
import dev.stiggsidecar.operator.dependents.StandaloneServiceDependent;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.InjectionSpec.RolloutPolicy;
import dev.stiggsidecar.api.model.InvalidSpecException;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarStatus;
import dev.stiggsidecar.api.pod.ConfigHash;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates the spec, then runs the workflow of owned objects and reports what it observed. The
 * workflow is invoked explicitly so an invalid spec touches nothing and says why in the status.
 *
 * <p>There is no finalizer: owned objects carry owner references and the garbage collector
 * deletes them with the {@code StiggSidecar}. A finalizer would only make deletion wait for this
 * operator, and without it running (uninstalled first, or crash-looping) a {@code StiggSidecar},
 * its namespace and the CRD itself could not be deleted.
 */
@ControllerConfiguration(name = "stiggsidecar")
// A failure is retried until it clears: quickly at first, then at most once a minute.
@GradualRetry(maxAttempts = -1, initialInterval = 1_000, intervalMultiplier = 2, maxInterval = 60_000)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "config", type = SidecarConfigDependent.class),
    @Dependent(name = "redis-deployment", type = RedisDeploymentDependent.class,
        reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "redis-service", type = RedisServiceDependent.class,
        reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "redis-network-policy", type = RedisNetworkPolicyDependent.class,
        reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "persistent-cache", type = PersistentCacheDependent.class,
        reconcilePrecondition = PersistentCacheCondition.class),
    @Dependent(name = "standalone-deployment", type = StandaloneDeploymentDependent.class,
        reconcilePrecondition = StandaloneCondition.class),
    @Dependent(name = "standalone-service", type = StandaloneServiceDependent.class,
        reconcilePrecondition = StandaloneCondition.class),
    @Dependent(name = "standalone-pdb", type = StandaloneDisruptionBudgetDependent.class,
        reconcilePrecondition = StandaloneCondition.class),
    @Dependent(name = "standalone-network-policy", type = StandaloneNetworkPolicyDependent.class,
        reconcilePrecondition = StandaloneCondition.class),
})
public final class StiggSidecarReconciler implements Reconciler<StiggSidecar> {

  /**
   * Status is refreshed at least this often. Owned Deployments and injected pods are watched; this
   * catches what is not, such as the API key Secret (read, never watched).
   */
  static final Duration RESYNC = Duration.ofSeconds(60);
  static final Duration RETRY_WHILE_NOT_READY = Duration.ofSeconds(10);

  private final OperatorDefaults defaults;
  private final StatusReport report;
  private final TransitionEvents events;
  private final RolloutRestarter restarter;
  private final RedisPassword redisPassword = new RedisPassword();
  private final StatusMetrics metrics;
  private final Clock clock;

  public StiggSidecarReconciler(OperatorDefaults defaults, StatusMetrics metrics, Clock clock) {
    this.defaults = defaults;
    this.metrics = metrics;
    this.report = new StatusReport(clock);
    this.events = new TransitionEvents(clock);
    this.restarter = new RolloutRestarter(clock);
    this.clock = clock;
  }

  @Override
  public UpdateControl<StiggSidecar> reconcile(StiggSidecar resource, Context<StiggSidecar> context) {
    metrics.readFrom(context.getPrimaryCache());
    StiggSidecarStatus status;
    try {
      EffectiveSpec spec = EffectiveSpec.of(resource, defaults);
      Specs.put(context, spec);
      if (spec.managedRedis().isPresent()) {
        Specs.putRedisAuthVersion(context, redisPassword.ensure(context.getClient(), resource));
      }
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      String configHash = ConfigHash.of(spec);
      InjectedPodScan pods = InjectedPodScan.of(context, configHash);
      status = report.observe(resource, spec, configHash, pods, context);
      if (spec.injection().rollout() == RolloutPolicy.Restart && !pods.outdated().isEmpty()) {
        status = rollout(resource, spec, configHash, pods, status, context);
      }
    } catch (InvalidSpecException invalid) {
      status = report.invalid(resource, invalid);
    }
    events.record(context.getClient(), resource, status);
    // Pod events wake the reconciler often; an unchanged status is not written again.
    UpdateControl<StiggSidecar> control = Objects.equals(status, resource.getStatus())
        ? UpdateControl.noUpdate() : UpdateControl.patchStatus(statusOnly(resource, status));
    return control.rescheduleAfter(nextCheck(status, resource));
  }

  /**
   * The status says why reconciliation failed; the framework logs the exception and retries. A
   * reconciliation cut short because this replica is stopping is not a failure of the resource:
   * the next leader reconciles it, and its status is left as it was.
   */
  @Override
  public ErrorStatusUpdateControl<StiggSidecar> updateErrorStatus(StiggSidecar resource, Context<StiggSidecar> context,
      Exception e) {
    if (interrupted(e)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    StiggSidecarStatus status = report.failed(resource, e);
    events.record(context.getClient(), resource, status);
    return ErrorStatusUpdateControl.patchStatus(statusOnly(resource, status));
  }

  private static boolean interrupted(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  @Override
  public List<EventSource<?, StiggSidecar>> prepareEventSources(EventSourceContext<StiggSidecar> context) {
    return List.of(InjectedPodEvents.source(context));
  }

  /** Sooner while something is not ready or a rollout is pending. */
  private static Duration nextCheck(StiggSidecarStatus status, StiggSidecar resource) {
    boolean ready = status.conditions().stream()
        .anyMatch(c -> Conditions.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    boolean rolloutPending = status.injectedPods() != null && status.injectedPods().outdated() > 0
        && resource.getSpec().injection() != null && resource.getSpec().injection().rollout() == RolloutPolicy.Restart;
    if (!ready) {
      return RETRY_WHILE_NOT_READY;
    }
    return rolloutPending ? RolloutRestarter.MIN_INTERVAL : RESYNC;
  }

  private StiggSidecarStatus rollout(StiggSidecar resource, EffectiveSpec spec, String configHash,
      InjectedPodScan pods, StiggSidecarStatus status, Context<StiggSidecar> context) {
    Optional<Instant> last = Optional.ofNullable(status.lastRolloutTime()).map(Instant::parse);
    Optional<RolloutRestarter.Workload> restarted =
        restarter.restartOne(context.getClient(), spec.namespace(), configHash, pods.outdated(), last);
    restarted.ifPresent(workload -> events.rolloutRestart(context.getClient(), resource, workload.toString(), configHash));
    return restarted.isPresent() ? status.withLastRolloutTime(clock.instant().toString()) : status;
  }

  /** A patch that carries status only, so the operator never writes the user's spec. */
  private static StiggSidecar statusOnly(StiggSidecar resource, StiggSidecarStatus status) {
    StiggSidecar patch = new StiggSidecar();
    patch.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }
}
