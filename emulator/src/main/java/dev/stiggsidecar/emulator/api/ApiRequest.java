package dev.stiggsidecar.emulator.api;

import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request reduced to what the emulated APIs look at, so that each API is a plain function
 * from request to {@link Reply}, testable without a server.
 *
 * @param path the decoded path, e.g. {@code /v1/c/acme/entitlements.json}
 * @param query decoded query parameters (first value of each)
 * @param apiKey the {@code X-API-KEY} header, matched case-insensitively
 * @param fromLoopback whether the client connected from a loopback address
 */
public record ApiRequest(String method, String path, Map<String, String> query, Optional<String> apiKey,
    String body, boolean fromLoopback) {

  public Optional<String> queryParameter(String name) {
    return Optional.ofNullable(query.get(name)).filter(value -> !value.isEmpty());
  }
}
