package dev.stiggsidecar.stigg.upstream;

/**
 * A Stigg API call that failed, classified so callers choose between fallback, retry and error
 * codes without matching message strings. Messages never contain the API key.
 */
public final class UpstreamException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** Stigg rejected the API key (HTTP 401, or GraphQL {@code UNAUTHENTICATED}). */
    INVALID_API_KEY,
    /** No answer within the upstream timeout. */
    TIMEOUT,
    /** The connection failed (refused, reset, DNS). */
    NETWORK,
    /** An unexpected HTTP status. */
    HTTP_STATUS,
    /** A well-formed answer carrying GraphQL {@code errors} (Stigg refused the operation). */
    REJECTED,
    /** An answer that could not be understood. */
    MALFORMED
  }

  private final Kind kind;

  public UpstreamException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public UpstreamException(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether Stigg could not be reached at all, as opposed to answering with a refusal. */
  public boolean isUnreachable() {
    return kind == Kind.TIMEOUT || kind == Kind.NETWORK || kind == Kind.HTTP_STATUS || kind == Kind.MALFORMED;
  }

  /** Unwraps completion wrappers to the upstream failure, classifying anything else as network. */
  public static UpstreamException of(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof UpstreamException upstream ? upstream
        : new UpstreamException(Kind.NETWORK, String.valueOf(cause.getMessage()), cause);
  }
}
