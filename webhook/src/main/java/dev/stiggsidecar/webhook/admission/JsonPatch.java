package dev.stiggsidecar.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON Patch (RFC 6902) from a pod to its mutated form. The mutation only touches a few
 * fields, so each changed field is added or replaced whole: simple to review in an audit log, and
 * empty when nothing changed, which makes re-invocation a no-op.
 */
final class JsonPatch {

  /** The only fields the mutation writes. */
  private static final List<String> PATHS = List.of(
      "/metadata/annotations", "/metadata/labels", "/spec/initContainers", "/spec/containers", "/spec/volumes");

  private JsonPatch() {}

  static ArrayNode between(ObjectMapper mapper, JsonNode original, JsonNode mutated) {
    ArrayNode patch = mapper.createArrayNode();
    for (String path : PATHS) {
      JsonNode before = original.at(path);
      JsonNode after = mutated.at(path);
      if (after.isMissingNode() || after.isNull() || after.equals(before)) {
        continue;
      }
      ObjectNode op = patch.addObject();
      op.put("op", before.isMissingNode() || before.isNull() ? "add" : "replace");
      op.put("path", path);
      op.set("value", after);
    }
    return patch;
  }
}
