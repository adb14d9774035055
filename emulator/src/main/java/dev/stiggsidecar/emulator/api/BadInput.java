package dev.stiggsidecar.emulator.api;

/** A GraphQL variable that does not match its declared type; answered as {@code BAD_USER_INPUT}. */
final class BadInput extends Exception {

  BadInput(String message) {
    super(message, null, false, false);
  }
}
