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

  /**
   * Pod template annotation the operator writes when it restarts a workload for a new
   * configuration ({@code injection.rollout: Restart}): the {@code configHash} the restart is for.
   * The pods inherit it, so the webhook can tell that its own view of the {@code StiggSidecar} is
   * older than the operator's and read it afresh rather than inject the old configuration.
   */
  public static final String RESTARTED_FOR = PREFIX + "restarted-for-config-hash";

  /**
   * Namespace label: {@code enabled} injects every pod of the namespace that does not opt out;
   * {@code disabled} injects none, whatever the pods say.
   */
  public static final String NAMESPACE_INJECTION = PREFIX + "injection";

  /** Per-pod overrides of the injected container, validated by the webhook. */
  public static final String CPU_REQUEST = PREFIX + "cpu-request";
  public static final String CPU_LIMIT = PREFIX + "cpu-limit";
  public static final String MEMORY_REQUEST = PREFIX + "memory-request";
  public static final String MEMORY_LIMIT = PREFIX + "memory-limit";
  public static final String LOG_LEVEL = PREFIX + "log-level";

  /**
   * Pod template annotation on the managed Redis and the operator's own clients of it: which
   * version of the password Secret (its uid and resourceVersion, never anything derived from the
   * password) the pods were started with, so that a new password restarts them.
   */
  public static final String REDIS_AUTH_VERSION = PREFIX + "redis-auth-version";

  /** Name of the injected container. */
  public static final String CONTAINER_NAME = "stigg-sidecar";

  private InjectionKeys() {}
}
