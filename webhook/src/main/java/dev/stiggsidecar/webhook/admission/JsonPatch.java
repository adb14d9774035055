package dev.stiggsidecar.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Patch (RFC 6902) from a pod, as the API server sent it, to its mutated form. The
 * mutation only touches a few fields, so each changed field is added or replaced whole: simple to
 * read in an audit log, and empty when nothing changed, which makes re-invocation a no-op.
 *
 * <p>The mutated pod comes from the Java model, which writes empty lists the API server omits;
 * those are dropped, and fields are compared without them, so a round trip through the API server
 * does not look like a change.
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
      JsonNode after = withoutEmpties(mutated.at(path).deepCopy(), false);
      if (after == null || after.isMissingNode()) {
        continue;
      }
      boolean absent = before.isMissingNode() || before.isNull();
      if (!absent && comparable(before).equals(comparable(after))) {
        continue;
      }
      ObjectNode op = patch.addObject();
      op.put("op", absent ? "add" : "replace");
      op.put("path", path);
      op.set("value", after);
    }
    return patch;
  }

  private static JsonNode comparable(JsonNode node) {
    JsonNode pruned = withoutEmpties(node.deepCopy(), true);
    return pruned == null ? MissingNode.getInstance() : pruned;
  }

  /**
   * Drops nulls and empty arrays (and, for comparison only, empty objects: an {@code emptyDir: {}}
   * is meaningful and must be sent). Returns null when the node itself is empty.
   */
  private static JsonNode withoutEmpties(JsonNode node, boolean emptyObjectsToo) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> drop = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = withoutEmpties(field.getValue(), emptyObjectsToo);
        if (value == null) {
          drop.add(field.getKey());
        } else {
          field.setValue(value);
        }
      }
      object.remove(drop);
      return emptyObjectsToo && object.isEmpty() ? null : object;
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = withoutEmpties(array.get(i), emptyObjectsToo);
        array.set(i, value == null ? array.get(i) : value);
      }
      return array.isEmpty() ? null : array;
    }
    return node;
  }
}
