package dev.stiggsidecar.sidecar.grpc;

import dev.stiggsidecar.stigg.upstream.UpstreamException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every gRPC status the service answers with, chosen here and nowhere else:
 * <ul>
 *   <li>a request that breaks the contract: {@code INVALID_ARGUMENT}, naming the field;
 *   <li>a write Stigg could not accept: {@code FAILED_PRECONDITION} (API key refused),
 *       {@code INVALID_ARGUMENT} (Stigg refused the report), {@code UNAVAILABLE} (unreachable, or
 *       timed out, when it may or may not have been recorded), always with the cause;
 *   <li>anything else: {@code INTERNAL}, the details in the sidecar's log.
 * </ul>
 * Reads never fail for upstream reasons: they degrade to cache, then fallback.
 */
final class GrpcStatuses {

  private GrpcStatuses() {}

  static StatusRuntimeException invalid(InvalidRequest request) {
    return Status.INVALID_ARGUMENT.withDescription(request.getMessage()).asRuntimeException();
  }

  /** Bytes that do not parse as the method's request message. */
  static Status malformed(String messageType) {
    return Status.INVALID_ARGUMENT.withDescription("the request is not a valid " + messageType + " message");
  }

  /** @return the status for a failed call, or empty when the failure is not Stigg's (see {@link #internal}) */
  static java.util.Optional<StatusRuntimeException> upstream(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (!(cause instanceof UpstreamException failure)) {
      return java.util.Optional.empty();
    }
    Status status = switch (failure.kind()) {
      case INVALID_API_KEY -> Status.FAILED_PRECONDITION.withDescription(
          "Stigg refused the sidecar's API key (SERVER_API_KEY); nothing was recorded");
      case REJECTED -> Status.INVALID_ARGUMENT.withDescription("Stigg refused the request: " + failure.getMessage());
      case TIMEOUT -> Status.UNAVAILABLE.withDescription(failure.getMessage() + "; Stigg may or may not have recorded it");
      case NETWORK, HTTP_STATUS, MALFORMED -> Status.UNAVAILABLE.withDescription(
          "Stigg is unreachable, nothing was recorded: " + failure.getMessage());
    };
    return java.util.Optional.of(status.asRuntimeException());
  }

  static StatusRuntimeException internal() {
    return Status.INTERNAL.withDescription("internal error; see the sidecar's log").asRuntimeException();
  }
}
