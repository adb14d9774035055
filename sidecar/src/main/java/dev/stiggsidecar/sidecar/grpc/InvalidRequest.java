package dev.stiggsidecar.sidecar.grpc;


/** A request that breaks the contract; answered with {@code INVALID_ARGUMENT} naming the field. */
final class InvalidRequest extends Exception {

  InvalidRequest(String field, String problem) {
    super(field + ": " + problem, null, false, false);
  }
}
