package dev.stiggsidecar.webhook.cli;

import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.api.model.StiggSidecar;
import dev.stiggsidecar.webhook.injection.InjectionPipeline;
import dev.stiggsidecar.webhook.injection.SidecarConfiguration;
import dev.stiggsidecar.webhook.injection.StiggSidecarLookup;
import dev.stiggsidecar.webhook.mutation.InjectionPolicy;
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
import java.util.Optional;

/**
 * {@code inject -f <workloads.yaml> -c <stiggsidecar.yaml>}: the workloads with the sidecar added,
 * through the webhook's own {@link InjectionPipeline}, for clusters without the webhook or for
 * review. Pods and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and
 * CronJobs are injected unless they opt out (as {@code istioctl kube-inject} does: given to the
 * command, a workload counts as opted in); other documents pass through unchanged.
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
    InjectionPipeline pipeline = new InjectionPipeline(new InjectionPolicy(InjectionPolicy.DEFAULT_OPERATOR_NAMESPACE),
        new SidecarConfiguration(fromFile(resources), defaults), InjectionPipeline.OptIn.ASSUMED, nativeSidecarWhenAuto);
    List<String> problems = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    for (String document : documents(workloads)) {
      Object parsed = parse(document);
      Optional<PodTemplateSpec> template = parsed instanceof HasMetadata object ? template(object) : Optional.empty();
      if (template.isEmpty()) {
        output.append("---\n").append(document.strip()).append('\n');
        continue;
      }
      HasMetadata object = (HasMetadata) parsed;
      String where = object.getKind() + " " + object.getMetadata().getName();
      PodTemplateSpec podTemplate = template.get();
      Pod pod = new PodBuilder().withMetadata(podTemplate.getMetadata() == null ? new ObjectMeta() : podTemplate.getMetadata())
          .withSpec(podTemplate.getSpec()).build();
      String namespace = Optional.ofNullable(object.getMetadata().getNamespace()).orElse("default");
      InjectionPipeline.Outcome outcome = pipeline.inject(namespace, pod, false);
      if (outcome instanceof InjectionPipeline.Outcome.Injected injected) {
        if (object instanceof Pod) {
          output.append(asDocument(new PodBuilder((Pod) object).withMetadata(injected.pod().getMetadata())
              .withSpec(injected.pod().getSpec()).build()));
        } else {
          podTemplate.setMetadata(injected.pod().getMetadata());
          podTemplate.setSpec(injected.pod().getSpec());
          output.append(asDocument(object));
        }
        injected.warnings().forEach(warning -> err.println("warning: " + where + ": " + warning));
      } else if (outcome instanceof InjectionPipeline.Outcome.Skipped skipped) {
        if (!skipped.code().equals("opted_out")) {
          err.println("note: " + where + " left as it is: " + skipped.reason());
        }
        output.append(asDocument(object));
      } else if (outcome instanceof InjectionPipeline.Outcome.NotInjected notInjected) {
        problems.add(where + ": " + notInjected.reason());
      } else {
        problems.add(where + ": " + ((InjectionPipeline.Outcome.Denied) outcome).reason());
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("error: " + problem));
      return 2;
    }
    out.print(output);
    return 0;
  }

  /** Every resource of the {@code -c} file, whatever the workload's namespace. */
  private static StiggSidecarLookup fromFile(List<StiggSidecar> resources) {
    return new StiggSidecarLookup() {
      @Override
      public List<StiggSidecar> inNamespace(String namespace) {
        return resources;
      }

      @Override
      public String where(String namespace) {
        return "the -c file";
      }
    };
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
