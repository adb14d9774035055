package dev.stiggsidecar.api.model;

import dev.stiggsidecar.api.model.InjectionSpec.NativeSidecarMode;
import dev.stiggsidecar.api.model.InjectionSpec.RolloutPolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A {@code StiggSidecar} with every default applied and every cross-field rule checked, derived
 * once and read by every renderer. The CRD schema rejects most bad input at apply time; this
 * repeats the checks that matter because not every path goes through the API server ({@code
 * render}, older CRDs, the webhook).
 */
public record EffectiveSpec(
    String name,
    String namespace,
    String image,
    String imagePullPolicy,
    SecretKeyRef apiKey,
    int grpcPort,
    int httpPort,
    String logLevel,
    ResourceRequirements resources,
    boolean offline,
    Optional<String> apiUrl,
    boolean edgeEnabled,
    Optional<String> edgeUrl,
    boolean realtimeEnabled,
    Optional<String> realtimeUrl,
    SortedMap<String, FallbackEntitlement> fallbacks,
    Cache cache,
    Optional<PersistentCache> persistentCache,
    Optional<Standalone> standalone,
    Injection injection,
    Optional<String> jvmOptions) {

  public static final int DEFAULT_GRPC_PORT = 8443;
  /**
   * The sidecar container's default memory request and limit, from measurements of the image
   * (benchmarks/results/images.md): about 60 MiB working set at idle and 105 MiB under load, so
   * 128Mi reserves what a busy sidecar uses; the limit leaves the JVM's non-heap about 115 MiB and
   * sizes the default cache bound (half the heap, 35% of the limit) at about 134 MB, some 1.5
   * million entitlements. The README's sizing section has the rule for other cache bounds.
   */
  public static final String SIDECAR_MEMORY_REQUEST = "128Mi";
  public static final String SIDECAR_MEMORY_LIMIT = "384Mi";
  public static final int DEFAULT_HTTP_PORT = 18080;
  public static final int DEFAULT_REDIS_PORT = 6379;
  public static final int DEFAULT_KEYS_TTL_SECONDS = 604_800;
  public static final int DEFAULT_STANDALONE_REPLICAS = 2;
  public static final String DEFAULT_HOST_ENV = "STIGG_SIDECAR_HOST";
  public static final String DEFAULT_PORT_ENV = "STIGG_SIDECAR_PORT";

  private static final Pattern FEATURE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]*$");
  private static final Pattern JVM_OPTIONS = Pattern.compile(StiggSidecarSpec.JVM_OPTIONS_PATTERN);

  /** Where entitlements are cached. */
  public sealed interface Cache permits MemoryCache, RedisCache {}

  /** Each sidecar's own memory. */
  public record MemoryCache(Optional<Long> maxSizeBytes) implements Cache {}

  /** A shared Redis. */
  public record RedisCache(RedisTarget target, String keyPrefix, int keysTtlSeconds) implements Cache {}

  /** Who runs the shared Redis. */
  public sealed interface RedisTarget permits ManagedRedis, ExternalRedis {}

  /** The operator runs it, as {@code <name>-redis}. */
  public record ManagedRedis(String image, ResourceRequirements resources) implements RedisTarget {}

  /** The user runs it. */
  public record ExternalRedis(String host, int port, int db, boolean tls, Optional<String> username,
      Optional<SecretKeyRef> password) implements RedisTarget {}

  /** The persistent cache Deployment. */
  public record PersistentCache(int replicas, String image, ResourceRequirements resources) {}

  /** The standalone sidecar Deployment. */
  public record Standalone(int replicas, List<ClientSelector> allowedClients) {

    public Standalone {
      allowedClients = List.copyOf(allowedClients);
    }
  }

  /** What the webhook needs. */
  public record Injection(NativeSidecarMode nativeSidecar, String hostEnvName, String portEnvName,
      RolloutPolicy rollout) {}

  /** Applies defaults and checks cross-field rules; throws listing every problem at once. */
  public static EffectiveSpec of(StiggSidecar resource, OperatorDefaults defaults) {
    List<String> problems = new ArrayList<>();
    StiggSidecarSpec spec = resource.getSpec();
    if (spec == null) {
      throw new InvalidSpecException(List.of("spec: required; at least spec.apiKeySecretRef {name, key}"));
    }
    SecretKeyRef apiKey = spec.apiKeySecretRef();
    if (apiKey == null || blank(apiKey.name()) || blank(apiKey.key())) {
      problems.add("spec.apiKeySecretRef: name and key of the Secret holding the Stigg server API key are required");
    }
    Cache cache = cache(spec.cache(), defaults, problems);
    Optional<PersistentCache> persistentCache = persistentCache(spec.persistentCache(), cache, defaults, problems);
    SortedMap<String, FallbackEntitlement> fallbacks = new TreeMap<>();
    Map<String, FallbackEntitlement> declared = spec.fallbackEntitlements() == null ? Map.of() : spec.fallbackEntitlements();
    declared.forEach((featureId, fallback) -> {
      if (!FEATURE_ID.matcher(featureId).matches()) {
        problems.add("spec.fallbackEntitlements." + featureId + ": not a feature id (letters, digits, _ . : -)");
      } else if (fallback == null) {
        problems.add("spec.fallbackEntitlements." + featureId + ": must be an object such as {hasAccess: true}");
      } else {
        fallbacks.put(featureId, fallback);
      }
    });
    Optional<String> jvmOptions = Optional.ofNullable(spec.jvmOptions()).filter(options -> !options.isBlank());
    jvmOptions.filter(options -> options.length() > StiggSidecarSpec.JVM_OPTIONS_MAX_LENGTH
            || !JVM_OPTIONS.matcher(options).matches())
        .ifPresent(options -> problems.add("spec.jvmOptions: \"" + options + "\" is not JVM options separated "
            + "by single spaces, each starting with - (such as \"-XX:MaxNewSize=16m -XX:MinHeapFreeRatio=20\"), at "
            + "most " + StiggSidecarSpec.JVM_OPTIONS_MAX_LENGTH + " characters"));
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    EndpointSpec edge = spec.edge() == null ? new EndpointSpec(null, null) : spec.edge();
    EndpointSpec realtime = spec.realtime() == null ? new EndpointSpec(null, null) : spec.realtime();
    InjectionSpec injection = spec.injection() == null ? new InjectionSpec(null, null, null, null) : spec.injection();
    StandaloneSpec standalone = spec.standalone();
    return new EffectiveSpec(
        resource.getMetadata().getName(),
        resource.getMetadata().getNamespace(),
        orDefault(spec.image(), defaults.sidecarImage()),
        Objects.requireNonNullElse(spec.imagePullPolicy(), StiggSidecarSpec.PullPolicy.IfNotPresent).name(),
        apiKey,
        Objects.requireNonNullElse(spec.grpcPort(), DEFAULT_GRPC_PORT),
        Objects.requireNonNullElse(spec.httpPort(), DEFAULT_HTTP_PORT),
        Objects.requireNonNullElse(spec.logLevel(), StiggSidecarSpec.LogLevel.info).name(),
        resources(spec.resources(), "100m", SIDECAR_MEMORY_REQUEST, SIDECAR_MEMORY_LIMIT),
        Boolean.TRUE.equals(spec.offline()),
        Optional.ofNullable(spec.apiUrl()).filter(url -> !url.isBlank()),
        !Boolean.FALSE.equals(edge.enabled()),
        Optional.ofNullable(edge.url()).filter(url -> !url.isBlank()),
        !Boolean.FALSE.equals(realtime.enabled()),
        Optional.ofNullable(realtime.url()).filter(url -> !url.isBlank()),
        fallbacks,
        cache,
        persistentCache,
        standalone != null && Boolean.TRUE.equals(standalone.enabled())
            ? Optional.of(new Standalone(Objects.requireNonNullElse(standalone.replicas(), DEFAULT_STANDALONE_REPLICAS),
                Objects.requireNonNullElse(standalone.allowedClients(), List.<ClientSelector>of())))
            : Optional.empty(),
        new Injection(
            Objects.requireNonNullElse(injection.nativeSidecar(), NativeSidecarMode.Auto),
            orDefault(injection.hostEnvName(), DEFAULT_HOST_ENV),
            orDefault(injection.portEnvName(), DEFAULT_PORT_ENV),
            Objects.requireNonNullElse(injection.rollout(), RolloutPolicy.Never)),
        jvmOptions);
  }

  /** The managed Redis, when the operator runs one. */
  public Optional<ManagedRedis> managedRedis() {
    return cache instanceof RedisCache redis && redis.target() instanceof ManagedRedis managed
        ? Optional.of(managed)
        : Optional.empty();
  }

  /** {@code memory}, {@code redis-managed} or {@code redis-external}: the status and printer column. */
  public String cacheKind() {
    if (cache instanceof RedisCache redis) {
      return redis.target() instanceof ManagedRedis ? "redis-managed" : "redis-external";
    }
    return "memory";
  }

  private static Cache cache(CacheSpec spec, OperatorDefaults defaults, List<String> problems) {
    if (spec == null || spec.redis() == null) {
      Optional<Long> maxSize = spec == null || spec.memory() == null
          ? Optional.empty() : Optional.ofNullable(spec.memory().maxSizeBytes());
      return new MemoryCache(maxSize);
    }
    if (spec.memory() != null) {
      problems.add("spec.cache: set either memory or redis, not both");
    }
    RedisCacheSpec redis = spec.redis();
    if (blank(redis.keyPrefix())) {
      problems.add("spec.cache.redis.keyPrefix: required; every writer of this Redis must use the same prefix");
    }
    RedisTarget target;
    if ((redis.managed() == null) == (redis.external() == null)) {
      problems.add("spec.cache.redis: set exactly one of managed: {} or external: {host: ...}");
      target = new ManagedRedis(defaults.redisImage(), redisResources(null));
    } else if (redis.managed() != null) {
      target = new ManagedRedis(orDefault(redis.managed().image(), defaults.redisImage()),
          redisResources(redis.managed().resources()));
    } else {
      ExternalRedisSpec external = redis.external();
      if (blank(external.host())) {
        problems.add("spec.cache.redis.external.host: required");
      }
      target = new ExternalRedis(external.host(),
          Objects.requireNonNullElse(external.port(), DEFAULT_REDIS_PORT),
          Objects.requireNonNullElse(external.db(), 0),
          Boolean.TRUE.equals(external.tls()),
          Optional.ofNullable(external.username()).filter(user -> !user.isBlank()),
          Optional.ofNullable(external.passwordSecretRef()));
    }
    return new RedisCache(target, redis.keyPrefix(),
        Objects.requireNonNullElse(redis.keysTtlSeconds(), DEFAULT_KEYS_TTL_SECONDS));
  }

  private static Optional<PersistentCache> persistentCache(PersistentCacheSpec spec, Cache cache,
      OperatorDefaults defaults, List<String> problems) {
    if (spec == null || !Boolean.TRUE.equals(spec.enabled())) {
      return Optional.empty();
    }
    if (!(cache instanceof RedisCache)) {
      problems.add("spec.persistentCache.enabled: needs spec.cache.redis (managed or external); "
          + "the persistent cache only writes to a shared Redis");
    }
    return Optional.of(new PersistentCache(Objects.requireNonNullElse(spec.replicas(), 1),
        orDefault(spec.image(), defaults.persistentCacheImage()),
        resources(spec.resources(), "100m", "256Mi", "512Mi")));
  }

  private static ResourceRequirements redisResources(ResourceRequirements declared) {
    return resources(declared, "100m", "128Mi", "256Mi");
  }

  /**
   * Declared resources, else requests and a memory limit. No CPU limit by default: throttling a
   * latency-critical sidecar hurts more than it protects.
   */
  private static ResourceRequirements resources(ResourceRequirements declared, String cpuRequest,
      String memoryRequest, String memoryLimit) {
    if (declared != null && (declared.getRequests() != null || declared.getLimits() != null)) {
      return declared;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(new TreeMap<>(Map.of("cpu", new Quantity(cpuRequest), "memory", new Quantity(memoryRequest))))
        .withLimits(new TreeMap<>(Map.of("memory", new Quantity(memoryLimit))))
        .build();
  }

  private static String orDefault(String value, String fallback) {
    return blank(value) ? fallback : value;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
