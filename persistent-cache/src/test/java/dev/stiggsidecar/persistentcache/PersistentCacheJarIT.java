package dev.stiggsidecar.persistentcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.redistest.RedisProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar: configuration errors, the ready line, and its HTTP endpoints. */
class PersistentCacheJarIT {

  private static final Path JAR = Path.of(System.getProperty("persistent-cache.jar",
      "target/stigg-persistent-cache.jar"));

  @TempDir
  Path dir;

  @Test
  void withoutAPrefixItRefusesToStartAndSaysWhy() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
    builder.environment().put("SERVER_API_KEY", "k");
    builder.environment().remove("REDIS_ENVIRONMENT_PREFIX");
    Process process = builder.start();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out"))).contains("REDIS_ENVIRONMENT_PREFIX: required");
  }

  @Test
  void startsAndReportsReadyOnceTheStreamAndRedisAreUp() throws Exception {
    try (StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests("jar-key"));
        RedisProcess redis = RedisProcess.start()) {
      int httpPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        httpPort = socket.getLocalPort();
      }
      Path log = dir.resolve("log");
      ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(Map.of("SERVER_API_KEY", "jar-key", "API_URL", emulator.baseUri().toString(),
          "WS_URL", emulator.websocketUri().toString(), "REDIS_ENVIRONMENT_PREFIX", "p", "REDIS_HOST", "127.0.0.1",
          "REDIS_PORT", String.valueOf(redis.port()), "HTTP_PORT", String.valueOf(httpPort),
          "HTTP_BIND_ADDRESS", "127.0.0.1"));
      Process process = builder.start();
      try {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> Files.readString(log).contains("Persistent cache is ready"));
        HttpClient http = HttpClient.newHttpClient();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("persistent_cache_stream_connected 1.0", "persistent_cache_redis_connected 1.0")
            .doesNotContain("jar-key");
      } finally {
        process.destroy();
        process.waitFor(15, TimeUnit.SECONDS);
      }
      assertThat(Files.readAllLines(log)).as("the ready line and JSON log lines only: no notice from SLF4J or logback")
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).satisfiesAnyOf(
              ready -> assertThat(ready).isEqualTo("Persistent cache is ready"),
              json -> assertThat(json).startsWith("{\"time\":")));
    }
  }
}
