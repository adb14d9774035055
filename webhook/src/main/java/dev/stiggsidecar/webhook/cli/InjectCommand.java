package dev.stiggsidecar.webhook.cli;

import dev.stiggsidecar.contract.InjectionKeys;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.InjectionSpec.NativeSidecarMode;
import dev.stiggsidecar.api.model.InvalidSpecException;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.webhook.mutation.Overrides;
import dev.stiggsidecar.webhook.mutation.PodMutator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code inject -f <workloads.yaml> -c <stiggsidecar.yaml>}: the workloads with the sidecar added,
 * by the same mutation the webhook applies, for clusters without the webhook or for review. Pods
 * and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs
 * are injected unless they opt out; other documents pass through unchanged.
 */
public final class InjectCommand {

  private final OperatorDefaults defaults;

  public InjectCommand(OperatorDefaults defaults) {
    this.defaults = defaults;
  }

  /**
   * @param nativeSidecarWhenAuto what {@code nativeSidecar: Auto} means without an API server to ask
   * @return 0, or 2 with every problem on {@code err}
   */
  public int run(String workloads, String config, boolean nativeSidecarWhenAuto, PrintStream out, PrintStream err) {
    List<StiggSidecar> resources = new ArrayList<>();
    for (String document : documents(config)) {
      if (parse(document) instanceof StiggSidecar resource) {
        resources.add(resource);
      }
    }
    if (resources.isEmpty()) {
      err.println("-c: no StiggSidecar found (apiVersion: sidecar.stigg.io/v1alpha1, kind: StiggSidecar)");
      return 2;
    }
    List<String> problems = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    for (String document : documents(workloads)) {
      Object parsed = parse(document);
      if (!(parsed instanceof HasMetadata object)) {
        output.append("---\n").append(document.strip()).append('\n');
        continue;
      }
      Optional<PodTemplateSpec> template = template(object);
      if (template.isEmpty()) {
        output.append("---\n").append(document.strip()).append('\n');
        continue;
      }
      String where = object.getKind() + " " + object.getMetadata().getName();
      PodTemplateSpec podTemplate = template.get();
      Map<String, String> annotations = podTemplate.getMetadata() == null || podTemplate.getMetadata().getAnnotations() == null
          ? Map.of() : podTemplate.getMetadata().getAnnotations();
      if ("false".equalsIgnoreCase(annotations.getOrDefault(InjectionKeys.INJECT, ""))) {
        output.append(asDocument(object));
        continue;
      }
      Optional<StiggSidecar> resource = select(resources, annotations.get(InjectionKeys.CONFIG), where, problems);
      Overrides.Parsed overrides = Overrides.parse(annotations);
      problems.addAll(overrides.problems().stream().map(p -> where + ": " + p).toList());
      if (resource.isEmpty() || !overrides.valid()) {
        continue;
      }
      try {
        EffectiveSpec spec = EffectiveSpec.of(resource.get(), defaults);
        boolean nativeSidecar = spec.injection().nativeSidecar() == NativeSidecarMode.Always
            || (spec.injection().nativeSidecar() == NativeSidecarMode.Auto && nativeSidecarWhenAuto);
        Pod pod = new PodBuilder().withMetadata(podTemplate.getMetadata() == null ? new ObjectMeta() : podTemplate.getMetadata())
            .withSpec(podTemplate.getSpec()).build();
        Pod mutated = PodMutator.mutate(pod, spec, nativeSidecar, overrides.overrides());
        if (object instanceof Pod) {
          output.append(asDocument(new PodBuilder((Pod) object).withMetadata(mutated.getMetadata())
              .withSpec(mutated.getSpec()).build()));
        } else {
          podTemplate.setMetadata(mutated.getMetadata());
          podTemplate.setSpec(mutated.getSpec());
          output.append(asDocument(object));
        }
      } catch (InvalidSpecException invalid) {
        problems.add("StiggSidecar " + resource.get().getMetadata().getName() + ": " + String.join("; ", invalid.problems()));
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("error: " + problem));
      return 2;
    }
    out.print(output);
    return 0;
  }

  private static Optional<StiggSidecar> select(List<StiggSidecar> resources, String requested, String where,
      List<String> problems) {
    if (requested != null && !requested.isBlank()) {
      Optional<StiggSidecar> named = resources.stream().filter(r -> r.getMetadata().getName().equals(requested.trim())).findFirst();
      if (named.isEmpty()) {
        problems.add(where + ": StiggSidecar " + requested + " (sidecar.stigg.io/config) is not in the -c file");
      }
      return named;
    }
    if (resources.size() == 1) {
      return Optional.of(resources.get(0));
    }
    Optional<StiggSidecar> byDefault = resources.stream().filter(r -> r.getMetadata().getName().equals("default")).findFirst();
    if (byDefault.isEmpty()) {
      problems.add(where + ": several StiggSidecars and none named default; pick one with sidecar.stigg.io/config");
    }
    return byDefault;
  }

  private static Optional<PodTemplateSpec> template(HasMetadata object) {
    if (object instanceof Pod pod) {
      return Optional.of(new PodTemplateSpec(pod.getMetadata(), pod.getSpec()));
    } else if (object instanceof Deployment d && d.getSpec() != null) {
      return Optional.ofNullable(d.getSpec().getTemplate());
    } else if (object instanceof StatefulSet s && s.getSpec() != null) {
      return Optional.ofNullable(s.getSpec().getTemplate());
    } else if (object instanceof DaemonSet d && d.getSpec() != null) {
      return Optional.ofNullable(d.getSpec().getTemplate());
    } else if (object instanceof ReplicaSet r && r.getSpec() != null) {
      return Optional.ofNullable(r.getSpec().getTemplate());
    } else if (object instanceof Job j && j.getSpec() != null) {
      return Optional.ofNullable(j.getSpec().getTemplate());
    } else if (object instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      return Optional.ofNullable(c.getSpec().getJobTemplate().getSpec().getTemplate());
    }
    return Optional.empty();
  }

  private static List<String> documents(String yaml) {
    return List.of(yaml.split("(?m)^---\\s*$")).stream().filter(d -> d.contains("kind:")).toList();
  }

  private static Object parse(String document) {
    return Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
  }

  private static String asDocument(Object object) {
    String yaml = Serialization.asYaml(object);
    return yaml.startsWith("---") ? yaml : "---\n" + yaml;
  }
}
