package dev.stiggsidecar.stigg.upstream;

/**
 * Stigg's server API key. Its {@link #toString()} never shows the key, so that no log line, error
 * message or debugger dump of the configuration can leak it.
 */
public record ApiKey(String value) {

  /** The offline-mode stand-in: offline, no key is needed and none is sent anywhere. */
  public static final ApiKey NONE = new ApiKey("");

  @Override
  public String toString() {
    return value.isEmpty() ? "ApiKey[none]" : "ApiKey[redacted, " + value.length() + " characters]";
  }
}
