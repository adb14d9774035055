package dev.stiggsidecar.emulator.api;

import com.fasterxml.jackson.databind.JsonNode;

/** What an emulated API answers. */
public sealed interface Reply {

  /** A JSON body with a status. */
  record Json(int status, JsonNode body) implements Reply {}

  /** A status with no body (admin commands answer 204). */
  record NoContent() implements Reply {}

  /** No answer until long after any client's timeout (the {@code timeout} fault). */
  record Hold() implements Reply {}

  static Reply ok(JsonNode body) {
    return new Json(200, body);
  }
}
