package dev.stiggsidecar.stigg.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import dev.stiggsidecar.stigg.entitlement.EntityKey;
import dev.stiggsidecar.stigg.entitlement.FeatureCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Whatever Stigg answers (any status, any body, over Edge and GraphQL, to an entitlement fetch, a
 * usage report or the key check), the client either reads it or fails with an {@link
 * UpstreamException} that says what kind of failure it was: never another exception, which the
 * callers could not turn into a fallback or a clear gRPC status.
 *
 * <p>Input: the first byte picks the call, the second the HTTP status; the rest is the body.
 */
class StiggAnswersFuzzTest {

  private static final int[] STATUSES = {200, 200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503};
  private static volatile int status = 200;
  private static volatile byte[] body = new byte[0];
  private static final StiggApiClient CLIENT = client();

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({"{", "}", "[", "]", "\"data\"", "\"entitlements\"", "\"errors\"", "\"extensions\"",
      "\"code\"", "\"UNAUTHENTICATED\"", "\"message\"", "\"feature\"", "\"refId\"", "\"featureType\"", "\"NUMBER\"",
      "\"BOOLEAN\"", "\"ENUM\"", "\"meterType\"", "\"Incremental\"", "\"usageLimit\"", "\"currentUsage\"",
      "\"reportUsage\"", "\"usagePeriodEnd\"", "\"resetPeriod\"", "\"MONTH\"", "\"enumValues\"", "\"validUntil\"",
      "\"accessDeniedReason\"", "\"creditRate\"", "null", "true", "1e400", "\"2026-12-01T00:00:00.000Z\""})
  void anyAnswer(byte[] input) {
    if (input.length < 2) {
      return;
    }
    status = STATUSES[Byte.toUnsignedInt(input[1]) % STATUSES.length];
    body = Arrays.copyOfRange(input, 2, input.length);
    CompletableFuture<?> call = switch (Byte.toUnsignedInt(input[0]) % 5) {
      case 0 -> CLIENT.fetchEntitlements(EntityKey.of("acme", null), false);
      case 1 -> CLIENT.fetchEntitlements(EntityKey.of("acme", "ws-1"), true);
      case 2 -> CLIENT.reportUsage(new UsageReport(EntityKey.of("acme", null), "feature-api-calls", 1,
          Optional.empty(), Optional.empty(), Map.of()));
      case 3 -> CLIENT.reportUsageBulk(List.of(new UsageReport(EntityKey.of("acme", null), "feature-api-calls", 1,
          Optional.empty(), Optional.empty(), Map.of())));
      default -> CLIENT.validateKey();
    };
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
          ? e.getCause().getCause() : e.getCause();
      assertThat(cause).as("a failure the callers can classify").isInstanceOf(UpstreamException.class);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 10 s", e);
    }
  }

  private static StiggApiClient client() {
    try {
      // Without it, a response written in two parts waits for the client's delayed ACK (~40 ms).
      System.setProperty("sun.net.httpserver.nodelay", "true");
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        byte[] answer = body;
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : answer.length == 0 ? -1 : answer.length);
        if (status != 204 && answer.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        }
        exchange.close();
      });
      server.start();
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      return new StiggApiClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
          new ApiKey("fuzz-key"), base.resolve("/graphql"), base, true, Duration.ofSeconds(5), SdkIdentity::ofThisProcess,
          new EntitlementJson(new FeatureCatalog()), new UpstreamMetrics() {
            @Override
            public void upstreamCall(String operation, String outcome, Duration duration) {
            }

            @Override
            public void invalidApiKey() {
            }

            @Override
            public void networkError() {
            }
          });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
