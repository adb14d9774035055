package dev.stiggsidecar.api.pod;

import dev.stiggsidecar.api.model.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short digest of everything that shapes an injected sidecar: its environment, image, Secret
 * references, JVM options, ports, resources, and how it is injected (native or classic, the env
 * names given to the app). Pods injected under another hash are outdated, and with {@code rollout:
 * Restart} their workloads restart; so the digest is taken over an explicit, sorted text of those
 * values, never over a library's {@code toString()}, which an upgrade could change and so restart
 * every workload.
 * How outdated pods are handled ({@code rollout}) does not shape the sidecar and is not part of it.
 */
public final class ConfigHash {

  private ConfigHash() {}

  public static String of(EffectiveSpec spec) {
    StringBuilder canonical = new StringBuilder();
    SidecarEnvironment.configData(spec).forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
    SidecarEnvironment.secretEnv(spec).forEach(env -> canonical.append(env.getName()).append("<-")
        .append(env.getValueFrom().getSecretKeyRef().getName()).append('/')
        .append(env.getValueFrom().getSecretKeyRef().getKey()).append('\n'));
    canonical.append("image=").append(spec.image()).append('\n')
        .append("pullPolicy=").append(spec.imagePullPolicy()).append('\n');
    // Only when set: a hash taken before the field existed stays the same.
    spec.jvmOptions().ifPresent(options -> canonical.append("jvmOptions=").append(options).append('\n'));
    quantities(canonical, "requests", spec.resources().getRequests());
    quantities(canonical, "limits", spec.resources().getLimits());
    canonical.append("nativeSidecar=").append(spec.injection().nativeSidecar().name()).append('\n')
        .append("hostEnvName=").append(spec.injection().hostEnvName()).append('\n')
        .append("portEnvName=").append(spec.injection().portEnvName()).append('\n');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** {@code requests.cpu=100m}, sorted by resource name; a quantity as written (amount and unit). */
  private static void quantities(StringBuilder canonical, String kind, Map<String, Quantity> quantities) {
    new TreeMap<>(quantities == null ? Map.<String, Quantity>of() : quantities).forEach((name, quantity) ->
        canonical.append(kind).append('.').append(name).append('=').append(quantity.getAmount())
            .append(quantity.getFormat() == null ? "" : quantity.getFormat()).append('\n'));
  }
}
