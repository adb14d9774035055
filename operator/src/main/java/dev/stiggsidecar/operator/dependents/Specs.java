package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecar;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * Hands the {@link EffectiveSpec} the reconciler derived to dependents and conditions through the
 * workflow context, so a spec is validated once per reconciliation and dependents need no defaults;
 * likewise the version of the managed Redis's password Secret, which the reconciler ensured.
 */
public final class Specs {

  private static final String KEY = EffectiveSpec.class.getName();
  private static final String REDIS_AUTH_VERSION = "redis-auth-version";

  private Specs() {}

  public static void put(Context<StiggSidecar> context, EffectiveSpec spec) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, spec);
  }

  public static EffectiveSpec of(Context<StiggSidecar> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, EffectiveSpec.class);
  }

  /** The version of the managed Redis's password Secret in force, for the pods that use it. */
  public static void putRedisAuthVersion(Context<StiggSidecar> context, String version) {
    context.managedWorkflowAndDependentResourceContext().put(REDIS_AUTH_VERSION, version);
  }

  /** Empty without a managed Redis. */
  public static Optional<String> redisAuthVersion(Context<StiggSidecar> context) {
    return context.managedWorkflowAndDependentResourceContext().get(REDIS_AUTH_VERSION, String.class);
  }
}
