package dev.stiggsidecar.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;

/**
 * What a platform team declares. Every field but {@code apiKeySecretRef} is optional; {@link
 * EffectiveSpec} applies the defaults, so the operator, the renderer and the webhook agree on them.
 * The API server rejects what the schema can tell is wrong; {@link EffectiveSpec} checks the same
 * again, for resources the API server did not validate (the {@code render} and {@code inject}
 * commands).
 */
@ValidationRule(value = "!has(self.persistentCache) || !has(self.persistentCache.enabled)"
    + " || !self.persistentCache.enabled || (has(self.cache) && has(self.cache.redis))",
    message = "persistentCache.enabled needs cache.redis (managed or external): the persistent cache only writes to a shared Redis")
@ValidationRule(value = "!has(self.fallbackEntitlements)"
    + " || self.fallbackEntitlements.all(id, id.matches('^[A-Za-z0-9][A-Za-z0-9_.:-]*$'))",
    message = "fallbackEntitlements: keys are feature ids (a letter or digit, then letters, digits, _ . : -)")
public record StiggSidecarSpec(
    @JsonPropertyDescription("Sidecar image; default the operator's (SIDECAR_IMAGE).")
    String image,
    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never. Default IfNotPresent.")
    PullPolicy imagePullPolicy,
    @Required
    @JsonPropertyDescription("Secret key holding the Stigg server API key (SERVER_API_KEY).")
    SecretKeyRef apiKeySecretRef,
    @Min(1024) @Max(65535)
    @JsonPropertyDescription("gRPC port of the sidecar; default 8443.")
    Integer grpcPort,
    @Min(1024) @Max(65535)
    @JsonPropertyDescription("Port of /livez, /readyz and /metrics; default 18080.")
    Integer httpPort,
    @JsonPropertyDescription("error, warn, info or debug. Default info.")
    LogLevel logLevel,
    @JsonPropertyDescription("Sidecar container resources; default 100m/128Mi requests, 384Mi memory limit.")
    ResourceRequirements resources,
    @JsonPropertyDescription("Offline mode: no network, answers from fallbacks only. Default false.")
    Boolean offline,
    @JsonPropertyDescription("Stigg API URL (API_URL); default Stigg's.")
    String apiUrl,
    @JsonPropertyDescription("Edge API (EDGE_ENABLED, EDGE_API_URL).")
    EndpointSpec edge,
    @JsonPropertyDescription("Real-time updates over websocket (WS_ENABLED, WS_URL).")
    EndpointSpec realtime,
    @JsonPropertyDescription("Fallback entitlements by feature id (ENTITLEMENTS_FALLBACK).")
    Map<String, FallbackEntitlement> fallbackEntitlements,
    @JsonPropertyDescription("Entitlement cache; default memory.")
    CacheSpec cache,
    @JsonPropertyDescription("Persistent cache service (requires cache.redis).")
    PersistentCacheSpec persistentCache,
    @JsonPropertyDescription("Standalone sidecar Deployment and Service.")
    StandaloneSpec standalone,
    @JsonPropertyDescription("Settings the injection webhook uses.")
    InjectionSpec injection,
    @Size(max = JVM_OPTIONS_MAX_LENGTH)
    @Pattern(JVM_OPTIONS_PATTERN)
    @JsonPropertyDescription("JVM options for the sidecar container (JAVA_TOOL_OPTIONS), separated by single spaces, "
        + "such as \"-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20\"; the image's own entry-point flags take precedence. "
        + "Default none.")
    String jvmOptions) {

  /** JVM options as JAVA_TOOL_OPTIONS takes them: separated by white space, with no quoting. */
  public static final String JVM_OPTIONS_PATTERN = "^-\\S+( -\\S+)*$";
  public static final int JVM_OPTIONS_MAX_LENGTH = 1024;

  /** Kubernetes image pull policies. */
  public enum PullPolicy { Always, IfNotPresent, Never }

  /** The sidecar's log levels (LOG_LEVEL). */
  public enum LogLevel { error, warn, info, debug }
}
