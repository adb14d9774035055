package dev.stiggsidecar.api.pod;

import dev.stiggsidecar.api.model.EffectiveSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short digest of everything that shapes a sidecar: its environment, image, Secret references,
 * ports, resources and injection mode. Pods injected under another hash are outdated.
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
        .append("pullPolicy=").append(spec.imagePullPolicy()).append('\n')
        .append("requests=").append(spec.resources().getRequests()).append('\n')
        .append("limits=").append(spec.resources().getLimits()).append('\n')
        .append("injection=").append(spec.injection()).append('\n');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
