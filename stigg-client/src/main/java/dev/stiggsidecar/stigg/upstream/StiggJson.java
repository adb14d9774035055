package dev.stiggsidecar.stigg.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The object mapper for Stigg's JSON (GraphQL, Edge, the real-time protocol), made on first use.
 *
 * <p>Why not a field of each client: building an {@code ObjectMapper} loads and initialises a large
 * part of Jackson databind, and nothing needs it before the sidecar's first call to Stigg, which
 * comes after it serves. Made when the clients are constructed, it was the largest single step of
 * a start: about 0.2 s of a cold start without class-data sharing. The JVM initialises this holder
 * class once, when {@link #mapper()} is first called; the mapper is never reconfigured, so sharing
 * it across threads is safe.
 */
public final class StiggJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StiggJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
