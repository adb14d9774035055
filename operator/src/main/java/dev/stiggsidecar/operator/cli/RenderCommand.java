package dev.stiggsidecar.operator.cli;

import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.InvalidSpecException;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.api.model.StiggSidecarResources;
import dev.stiggsidecar.operator.render.ManifestRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code render -f <file>}: the objects the operator would create for each {@code StiggSidecar} in
 * a YAML file, as multi-document YAML, with no cluster. For GitOps pipelines and reviews.
 */
public final class RenderCommand {

  private final OperatorDefaults defaults;

  public RenderCommand(OperatorDefaults defaults) {
    this.defaults = defaults;
  }

  /**
   * @param yaml one or more YAML documents; documents of other kinds are skipped
   * @param fallbackNamespace namespace for resources that name none
   * @return 0 on success, 2 when a resource is invalid (every problem is printed)
   */
  public int run(String yaml, String source, String fallbackNamespace, PrintStream out, PrintStream err) {
    List<StiggSidecar> resources = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.isBlank() || !document.contains("kind:")) {
        continue;
      }
      Object parsed = Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
      if (parsed instanceof StiggSidecar resource) {
        resources.add(resource);
      } else if (parsed instanceof KubernetesResource) {
        continue;
      }
    }
    if (resources.isEmpty()) {
      err.println(source + ": no StiggSidecar (apiVersion: " + StiggSidecar.GROUP + "/" + StiggSidecar.VERSION
          + ", kind: " + StiggSidecar.KIND + ") found");
      return 2;
    }
    List<HasMetadata> objects = new ArrayList<>();
    boolean valid = true;
    for (StiggSidecar resource : resources) {
      if (resource.getMetadata().getNamespace() == null) {
        resource.getMetadata().setNamespace(fallbackNamespace);
      }
      try {
        EffectiveSpec spec = EffectiveSpec.of(resource, defaults);
        objects.addAll(ManifestRenderer.render(spec));
        if (spec.managedRedis().isPresent()) {
          String secret = StiggSidecarResources.redisAuthName(spec.name());
          err.println("note: Secret " + secret + " (the managed Redis's password) is not rendered: the operator "
              + "generates it in the cluster. Without the operator, create it: kubectl -n " + spec.namespace()
              + " create secret generic " + secret + " --from-literal=" + StiggSidecarResources.REDIS_PASSWORD_KEY
              + "=\"$(openssl rand -hex 24)\"");
        }
      } catch (InvalidSpecException invalid) {
        valid = false;
        err.println(source + ": StiggSidecar " + resource.getMetadata().getName() + " is invalid:");
        invalid.problems().forEach(problem -> err.println("  - " + problem));
      }
    }
    if (!valid) {
      return 2;
    }
    for (HasMetadata object : objects) {
      String document = Serialization.asYaml(object);
      out.print(document.startsWith("---") ? document : "---\n" + document);
    }
    return 0;
  }
}
