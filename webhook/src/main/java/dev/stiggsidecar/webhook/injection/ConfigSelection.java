package dev.stiggsidecar.webhook.injection;

import dev.stiggsidecar.api.model.StiggSidecar;
import java.util.List;
import java.util.Optional;

/**
 * Picks the {@code StiggSidecar} for a pod: the one the pod names, else the namespace's only one,
 * else the one named {@code default}. Never a merge of several.
 */
final class ConfigSelection {

  private ConfigSelection() {}

  /**
   * @param where where the candidates come from, for messages ({@code namespace shop}, {@code the -c file})
   * @return the resource, or a message saying what is missing and how to fix it
   */
  static Result select(List<StiggSidecar> candidates, String where, Optional<String> requested) {
    if (requested.isPresent()) {
      return candidates.stream().filter(c -> c.getMetadata().getName().equals(requested.get())).findFirst()
          .<Result>map(Result.Found::new)
          .orElseGet(() -> new Result.Missing("StiggSidecar " + requested.get() + " (named by the pod's "
              + "sidecar.stigg.io/config annotation) does not exist in " + where));
    }
    if (candidates.size() == 1) {
      return new Result.Found(candidates.get(0));
    }
    if (candidates.isEmpty()) {
      return new Result.Missing("no StiggSidecar in " + where
          + "; create one (see manifests/examples/stiggsidecar.yaml) so the sidecar has its API key and settings");
    }
    return candidates.stream().filter(c -> c.getMetadata().getName().equals("default")).findFirst()
        .<Result>map(Result.Found::new)
        .orElseGet(() -> new Result.Missing(candidates.size() + " StiggSidecars in " + where
            + " and none is named default; name one with the sidecar.stigg.io/config annotation"));
  }

  sealed interface Result {
    record Found(StiggSidecar resource) implements Result {}

    record Missing(String reason) implements Result {}
  }
}
