package dev.stiggsidecar.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stiggsidecar.api.model.EffectiveSpec;
import dev.stiggsidecar.api.model.OperatorDefaults;
import dev.stiggsidecar.webhook.mutation.GeneratedPods;
import dev.stiggsidecar.webhook.mutation.Overrides;
import dev.stiggsidecar.webhook.mutation.PodMutator;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The patch carries the whole mutation: applied to the pod the API server sent, it gives exactly
 * the mutated pod, for many generated pods and both sidecar modes. Should the mutation ever write a
 * field the patch does not cover, this fails.
 */
class JsonPatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void applyingThePatchGivesTheWholeMutatedPod() {
    EffectiveSpec spec = EffectiveSpec.of(AdmissionHandlerTest.resource("default"),
        new OperatorDefaults("sidecar:1", "p:1", "r:1"));
    Random random = new Random(20261201);
    for (int i = 0; i < 500; i++) {
      Pod original = GeneratedPods.random(random);
      JsonNode sent = JSON.valueToTree(original);
      Pod mutated = PodMutator.mutate(original, spec, random.nextBoolean(), Overrides.NONE);

      ArrayNode patch = JsonPatch.between(JSON, sent, JSON.valueToTree(mutated));
      JsonNode patched = io.fabric8.zjsonpatch.JsonPatch.apply(patch, sent);

      assertThat(normalized(patched)).as("pod %d", i).isEqualTo(normalized(JSON.valueToTree(mutated)));
      assertThat(JsonPatch.between(JSON, patched, JSON.valueToTree(mutated))).as("pod %d, again", i).isEmpty();
    }
  }

  /** Without nulls and empty lists, which the Java model writes and the API server omits. */
  private static JsonNode normalized(JsonNode node) {
    JsonNode copy = node.deepCopy();
    prune(copy);
    return copy;
  }

  private static void prune(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> empty = new ArrayList<>();
      object.fields().forEachRemaining(field -> {
        prune(field.getValue());
        if (field.getValue().isNull() || (field.getValue().isArray() && field.getValue().isEmpty())) {
          empty.add(field.getKey());
        }
      });
      object.remove(empty);
    } else if (node instanceof ArrayNode array) {
      array.forEach(JsonPatchTest::prune);
    }
  }
}
