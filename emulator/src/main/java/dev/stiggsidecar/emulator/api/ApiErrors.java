package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Error bodies in the forms Stigg's API uses: GraphQL-style {@code {"errors":[...]}} with an
 * {@code extensions.code}, as Apollo Server answers, for both GraphQL and Edge.
 */
final class ApiErrors {

  static final String UNAUTHENTICATED = "UNAUTHENTICATED";
  static final String BAD_REQUEST = "BAD_REQUEST";
  static final String BAD_USER_INPUT = "BAD_USER_INPUT";
  static final String PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
  static final String VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
  static final String OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE";
  static final String INTERNAL = "INTERNAL_SERVER_ERROR";

  private ApiErrors() {}

  /** {@code {"errors":[{"message":...,"extensions":{"code":...}}],"data":null}}. */
  static ObjectNode body(String code, String message) {
    return body(code, message, Optional.empty());
  }

  /** The same, with the {@code locations} entry graphql-js puts between message and extensions. */
  static ObjectNode body(String code, String message, Optional<GraphqlDocument.SyntaxError> at) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode errors = body.putArray("errors");
    ObjectNode error = errors.addObject();
    error.put("message", message);
    at.ifPresent(location -> {
      ObjectNode position = error.putArray("locations").addObject();
      position.put("line", location.line());
      position.put("column", location.column());
    });
    error.putObject("extensions").put("code", code);
    body.putNull("data");
    return body;
  }

  static Reply reply(int status, String code, String message) {
    return new Reply.Json(status, body(code, message));
  }

  static Reply unauthenticated(int status) {
    return reply(status, UNAUTHENTICATED, "Unauthorized");
  }
}
