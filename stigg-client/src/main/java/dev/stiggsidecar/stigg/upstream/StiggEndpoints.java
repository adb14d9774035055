package dev.stiggsidecar.stigg.upstream;

import dev.stiggsidecar.contract.EnvReader;
import dev.stiggsidecar.contract.SidecarEnv;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how to reach Stigg, from Stigg's variables and defaults: {@code SERVER_API_KEY},
 * {@code API_URL}, {@code EDGE_ENABLED}, {@code EDGE_API_URL}, {@code WS_ENABLED}, {@code WS_URL},
 * and {@code UPSTREAM_TIMEOUT_MS}.
 *
 * @param graphqlUrl {@code API_URL} with {@code /graphql}
 * @param edgeUrl the Edge base URL, explicit or derived from {@code API_URL}
 * @param websocketUrl the real-time URL with {@code /graphql}, explicit or derived from {@code API_URL}
 */
public record StiggEndpoints(ApiKey apiKey, URI graphqlUrl, boolean edgeEnabled, URI edgeUrl,
    boolean websocketEnabled, URI websocketUrl, Duration upstreamTimeout) {

  /**
   * @param keyRequired whether a missing {@code SERVER_API_KEY} is a problem (offline mode needs none)
   * @param whyNoKey what to do instead of setting the key, for the message
   */
  public static StiggEndpoints read(EnvReader env, boolean keyRequired, String whyNoKey) {
    Optional<String> key = env.text(SidecarEnv.SERVER_API_KEY);
    if (key.isEmpty() && keyRequired) {
      env.problem(SidecarEnv.SERVER_API_KEY + ": required: Stigg's server API key (from a Kubernetes Secret)"
          + whyNoKey);
    }
    URI apiUrl = env.url(SidecarEnv.API_URL, env.text(SidecarEnv.API_URL).orElse(SidecarEnv.DEFAULT_API_URL),
        List.of("http", "https"));
    URI edgeUrl = env.text(SidecarEnv.EDGE_API_URL)
        .map(value -> env.url(SidecarEnv.EDGE_API_URL, value, List.of("http", "https")))
        .orElseGet(() -> derivedEdgeUrl(apiUrl));
    URI websocketUrl = env.text(SidecarEnv.WS_URL)
        .map(value -> env.url(SidecarEnv.WS_URL, value, List.of("ws", "wss")))
        .orElseGet(() -> URI.create(apiUrl.toString().replaceFirst("^http", "ws")));
    long timeoutMs = env.number(SidecarEnv.UPSTREAM_TIMEOUT_MS, SidecarEnv.DEFAULT_UPSTREAM_TIMEOUT_MS, 1, 600_000,
        "milliseconds");
    return new StiggEndpoints(key.map(ApiKey::new).orElse(ApiKey.NONE), withPath(apiUrl, "/graphql"),
        env.bool(SidecarEnv.EDGE_ENABLED, true), edgeUrl, env.bool(SidecarEnv.WS_ENABLED, true),
        withPath(websocketUrl, "/graphql"), Duration.ofMillis(timeoutMs));
  }

  /** Stigg's rule: Edge lives at {@code edge.<API host>}, or on port 3060 of a local API host. */
  private static URI derivedEdgeUrl(URI apiUrl) {
    String host = apiUrl.getHost() == null ? "localhost" : apiUrl.getHost();
    boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1") || host.equals("[::1]");
    return URI.create(local ? apiUrl.getScheme() + "://" + host + ":3060" : apiUrl.getScheme() + "://edge." + host);
  }

  /** {@code base} with {@code suffix} appended unless its path already ends with it. */
  private static URI withPath(URI base, String suffix) {
    String text = base.toString().replaceAll("/+$", "");
    return URI.create(text.endsWith(suffix) ? text : text + suffix);
  }
}
