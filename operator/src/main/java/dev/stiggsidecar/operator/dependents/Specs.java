package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.StiggSidecar;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Hands the {@link EffectiveSpec} the reconciler derived to dependents and conditions through the
 * workflow context, so a spec is validated once per reconciliation and dependents need no defaults.
 */
public final class Specs {

  private static final String KEY = EffectiveSpec.class.getName();

  private Specs() {}

  public static void put(Context<StiggSidecar> context, EffectiveSpec spec) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, spec);
  }

  public static EffectiveSpec of(Context<StiggSidecar> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, EffectiveSpec.class);
  }
}
