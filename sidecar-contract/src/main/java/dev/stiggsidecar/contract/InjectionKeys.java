package dev.stiggsidecar.contract;

/**
 * Labels and annotations that tie injected pods to the {@code StiggSidecar} that configured them.
 * The webhook writes them; the operator reads them to count up-to-date and outdated pods.
 */
public final class InjectionKeys {

  public static final String PREFIX = "sidecar.stigg.io/";

  /** Pod annotation that opts a pod in ({@code "true"}) or out ({@code "false"}). */
  public static final String INJECT = PREFIX + "inject";
  /** Pod annotation naming the {@code StiggSidecar} to use. */
  public static final String CONFIG = PREFIX + "config";
  /** Pod annotation written at injection: {@code injected}. */
  public static final String STATUS = PREFIX + "status";
  /** Pod annotation: the {@code configHash} the pod was injected with. */
  public static final String CONFIG_HASH = PREFIX + "config-hash";
  /**
   * Pod label naming the {@code StiggSidecar} that injected it. A label, not an annotation, so the
   * operator can list exactly those pods with a selector.
   */
  public static final String INJECTED_BY = PREFIX + "injected-by";

  /** Name of the injected container. */
  public static final String CONTAINER_NAME = "stigg-sidecar";

  private InjectionKeys() {}
}
