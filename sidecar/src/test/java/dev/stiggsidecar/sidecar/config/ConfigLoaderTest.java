package dev.stiggsidecar.sidecar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stiggsidecar.contract.ConfigException;
import dev.stiggsidecar.redis.RedisSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final long HEAP = 1024L * 1024 * 1024;

  @Test
  void stiggsDefaultsApplyWithOnlyAKey() throws ConfigException {
    SidecarConfig config = ConfigLoader.load(Map.of("SERVER_API_KEY", "k"), HEAP);

    assertThat(config.graphqlUrl()).hasToString("https://api.stigg.io/graphql");
    assertThat(config.edgeUrl()).hasToString("https://edge.api.stigg.io");
    assertThat(config.websocketUrl()).hasToString("wss://api.stigg.io/graphql");
    assertThat(config.edgeEnabled()).isTrue();
    assertThat(config.websocketEnabled()).isTrue();
    assertThat(config.grpcPort()).isEqualTo(80);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.grpcBindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.cacheMaxSizeBytes()).as("half the heap").isEqualTo(HEAP / 2);
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.offline()).isFalse();
    assertThat(config.fallbacks()).isEmpty();
  }

  @Test
  void edgeAndWebsocketUrlsDeriveFromApiUrlLikeStiggsSdk() throws ConfigException {
    SidecarConfig local = ConfigLoader.load(Map.of("SERVER_API_KEY", "k", "API_URL", "http://localhost:4000"), HEAP);
    SidecarConfig remote = ConfigLoader.load(Map.of("SERVER_API_KEY", "k", "API_URL", "https://api.example.com/"), HEAP);

    assertThat(local.edgeUrl()).hasToString("http://localhost:3060");
    assertThat(local.websocketUrl()).hasToString("ws://localhost:4000/graphql");
    assertThat(remote.edgeUrl()).hasToString("https://edge.api.example.com");
    assertThat(remote.graphqlUrl()).hasToString("https://api.example.com/graphql");
  }

  @Test
  void booleansAcceptStiggsAndPythonsSpellingsAndEmptyMeansUnset() throws ConfigException {
    Map<String, String> env = new HashMap<>(Map.of("SERVER_API_KEY", "k", "EDGE_ENABLED", "False", "WS_ENABLED", "0",
        "OFFLINE", ""));

    SidecarConfig config = ConfigLoader.load(env, HEAP);

    assertThat(config.edgeEnabled()).isFalse();
    assertThat(config.websocketEnabled()).isFalse();
    assertThat(config.offline()).isFalse();
  }

  @Test
  void fallbacksAcceptTheFlatAndTheWrappedShape() throws ConfigException {
    SidecarConfig config = ConfigLoader.load(Map.of("SERVER_API_KEY", "k", "ENTITLEMENTS_FALLBACK",
        "{\"a\":{\"hasAccess\":true,\"usageLimit\":1000},\"b\":{\"numeric\":{\"hasAccess\":true,\"value\":5}},"
            + "\"c\":{\"enum\":{\"hasAccess\":false,\"enumValues\":[\"x\"]}},\"d\":{\"isUnlimited\":true}}"), HEAP);

    assertThat(config.fallbacks().get("a").usageLimit()).hasValue(1000);
    assertThat(config.fallbacks().get("b").value()).hasValue(5);
    assertThat(config.fallbacks().get("c").enumValues()).containsExactly("x");
    assertThat(config.fallbacks().get("d").hasAccess()).as("absent hasAccess is false").isFalse();
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheVariable() {
    Map<String, String> env = Map.of("API_URL", "ftp://nope", "PORT", "99999", "EDGE_ENABLED", "maybe",
        "LOG_LEVEL", "loud", "CACHE_MAX_SIZE_BYTES", "-1",
        "ENTITLEMENTS_FALLBACK", "{\"a\":{\"hasAccess\":\"yes\",\"usageLimit\":\"ten\",\"limit\":3},\"b\":7}");

    assertThatThrownBy(() -> ConfigLoader.load(env, HEAP)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "SERVER_API_KEY: required: Stigg's server API key (from a Kubernetes Secret); or set OFFLINE=true to run "
                + "on fallbacks alone",
            "API_URL: must be an absolute http or https URL such as https://api.example.com, got ftp://nope",
            "PORT: must be a whole number from 0 to 65535 (a TCP port), got 99999",
            "EDGE_ENABLED: must be true or false (or 1/0), got maybe",
            "LOG_LEVEL: must be one of error, warn, info, debug, got loud",
            "CACHE_MAX_SIZE_BYTES: must be a whole number from 1 to 9223372036854775807 (bytes, e.g. 268435456 for "
                + "256 MiB), got -1",
            "ENTITLEMENTS_FALLBACK.a.limit: unknown field; allowed: hasAccess, value, isUnlimited, usageLimit, enumValues",
            "ENTITLEMENTS_FALLBACK.a.hasAccess: must be true or false, got \"yes\"",
            "ENTITLEMENTS_FALLBACK.a.usageLimit: must be a number, got \"ten\"",
            "ENTITLEMENTS_FALLBACK.b: must be an object such as {\"hasAccess\":true}, got 7"));
  }

  @Test
  void malformedFallbackJsonSaysWhereAndGivesAnExample() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SERVER_API_KEY", "k", "ENTITLEMENTS_FALLBACK",
        "{\"a\": {hasAccess: true}}"), HEAP))
        .hasMessageContaining("ENTITLEMENTS_FALLBACK: not valid JSON")
        .hasMessageContaining("expected e.g. {\"feature-x\":{\"hasAccess\":true}}");
  }

  @Test
  void offlineNeedsNoKeyAndTheKeyNeverPrints() throws ConfigException {
    SidecarConfig offline = ConfigLoader.load(Map.of("OFFLINE", "true"), HEAP);
    SidecarConfig online = ConfigLoader.load(Map.of("SERVER_API_KEY", "secret-key-value"), HEAP);

    assertThat(offline.offline()).isTrue();
    assertThat(online.toString()).doesNotContain("secret-key-value").contains("redacted");
  }

  @Test
  void redisModeTakesStiggsDefaultsAndNeverPrintsThePassword() throws ConfigException {
    SidecarConfig config = ConfigLoader.load(Map.of("SERVER_API_KEY", "k", "REDIS_ENVIRONMENT_PREFIX", "prod",
        "REDIS_PASSWORD", "redis-secret", "REDIS_TLS", "1"), HEAP);
    SidecarConfig memory = ConfigLoader.load(Map.of("SERVER_API_KEY", "k"), HEAP);

    RedisSettings redis = config.redis().orElseThrow();
    assertThat(redis.host()).isEqualTo("localhost");
    assertThat(redis.port()).isEqualTo(6379);
    assertThat(redis.database()).isZero();
    assertThat(redis.tls()).isTrue();
    assertThat(redis.keysTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(config.toString()).doesNotContain("redis-secret");
    assertThat(memory.redis()).isEmpty();
  }

  @Test
  void badRedisSettingsAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SERVER_API_KEY", "k", "REDIS_ENVIRONMENT_PREFIX", "p",
        "REDIS_PORT", "0", "REDIS_KEYS_TTL_IN_SECS", "soon"), HEAP))
        .hasMessageContaining("REDIS_PORT: must be a whole number from 1 to 65535")
        .hasMessageContaining("REDIS_KEYS_TTL_IN_SECS: must be a whole number");
  }
}
