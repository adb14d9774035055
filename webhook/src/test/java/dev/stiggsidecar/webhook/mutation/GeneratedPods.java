package dev.stiggsidecar.webhook.mutation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Pods of every shape the mutation must handle, for property tests: containers, env, init containers, volumes. */
public final class GeneratedPods {

  private GeneratedPods() {}

  public static Pod random(Random random) {
    List<Container> containers = new ArrayList<>();
    int count = 1 + random.nextInt(4);
    for (int c = 0; c < count; c++) {
      List<EnvVar> env = new ArrayList<>();
      for (int e = 0; e < random.nextInt(4); e++) {
        String name = random.nextInt(5) == 0 ? "STIGG_SIDECAR_HOST" : "VAR_" + e;
        if (env.stream().noneMatch(v -> v.getName().equals(name))) {
          env.add(new EnvVar(name, "v" + random.nextInt(100), null));
        }
      }
      containers.add(new ContainerBuilder().withName("c" + c).withImage("img" + random.nextInt(9))
          .withEnv(env.isEmpty() && random.nextBoolean() ? null : env).build());
    }
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("shop")
        .addToAnnotations("team", "t" + random.nextInt(3)).endMetadata()
        .withNewSpec().withContainers(containers).endSpec();
    if (random.nextBoolean()) {
      pod.editSpec().addNewInitContainer().withName("init").withImage("init:1").endInitContainer().endSpec();
    }
    if (random.nextBoolean()) {
      pod.editSpec().addToVolumes(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build()).endSpec();
    }
    return pod.build();
  }
}
