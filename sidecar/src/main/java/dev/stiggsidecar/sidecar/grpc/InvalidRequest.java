package dev.stiggsidecar.sidecar.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A request that breaks the contract; answered with {@code INVALID_ARGUMENT} naming the field. */
final class InvalidRequest extends Exception {

  InvalidRequest(String field, String problem) {
    super(field + ": " + problem, null, false, false);
  }

  StatusRuntimeException toStatus() {
    return Status.INVALID_ARGUMENT.withDescription(getMessage()).asRuntimeException();
  }
}
