package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON (or YAML) document read into a tree that remembers where each value started, so that a
 * problem found after parsing can still be reported as {@code file:line:column}. Jackson's own tree
 * model drops locations; this reader walks the token stream itself and records them by path.
 */
final class LocatedTree {

  private final JsonNode root;
  private final Map<String, JsonLocation> locations;

  private LocatedTree(JsonNode root, Map<String, JsonLocation> locations) {
    this.root = root;
    this.locations = locations;
  }

  static LocatedTree read(JsonFactory factory, Reader source) throws IOException {
    Map<String, JsonLocation> locations = new HashMap<>();
    try (JsonParser parser = factory.createParser(source)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LocatedTree(JsonNodeFactory.instance.missingNode(), locations);
      }
      return new LocatedTree(readValue(parser, "", locations), locations);
    }
  }

  JsonNode root() {
    return root;
  }

  /** The line and column of {@code path}, or of its nearest ancestor that exists in the document. */
  String locate(String path) {
    String candidate = path;
    while (true) {
      JsonLocation location = locations.get(candidate);
      if (location != null) {
        return location.getLineNr() + ":" + location.getColumnNr();
      }
      int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
      if (cut <= 0) {
        return "1:1";
      }
      candidate = candidate.substring(0, cut);
    }
  }

  private static JsonNode readValue(JsonParser parser, String path, Map<String, JsonLocation> locations)
      throws IOException {
    locations.put(path, parser.currentTokenLocation());
    JsonNodeFactory json = JsonNodeFactory.instance;
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = json.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          String child = path.isEmpty() ? name : path + "." + name;
          object.set(name, readValue(parser, child, locations));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = json.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, path + "[" + array.size() + "]", locations));
        }
        return array;
      }
      case VALUE_STRING -> {
        return json.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return json.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return json.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return json.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return json.nullNode();
      }
      default -> throw new IOException("unexpected " + token + " at " + parser.currentTokenLocation());
    }
  }
}
