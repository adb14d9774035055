package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as users run it: environment in, "Sidecar is ready" out, a real check, SIGTERM. */
class SidecarJarIT {

  private static final Path JAR = Path.of(System.getProperty("sidecar.jar", "target/stigg-sidecar.jar"));

  @TempDir
  Path dir;

  @Test
  void servesARealCheckAndStopsCleanlyOnSigterm() throws Exception {
    try (StiggEmulator emulator = StiggEmulator.start(EmulatorSettings.forTests("jar-key"))) {
      int grpcPort = freePort();
      Path log = dir.resolve("sidecar.log");
      ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(Map.of("SERVER_API_KEY", "jar-key", "API_URL", emulator.baseUri().toString(),
          "EDGE_API_URL", emulator.baseUri().toString(), "WS_URL", emulator.websocketUri().toString(),
          "PORT", String.valueOf(grpcPort), "HTTP_PORT", String.valueOf(freePort()), "HTTP_BIND_ADDRESS", "127.0.0.1"));
      long started = System.nanoTime();
      Process process = builder.start();
      List<String> output;
      try {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
            .until(() -> Files.readAllLines(log).contains("Sidecar is ready"));
        System.out.printf("sidecar jar: ready line after %d ms%n", (System.nanoTime() - started) / 1_000_000);

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        var answer = SidecarServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .getMeteredEntitlement(GetMeteredEntitlementRequest.newBuilder().setCustomerId("globex")
                .setFeatureId("feature-api-calls").build());
        channel.shutdownNow();
        assertThat(answer.getEntitlement().getCurrentUsage()).isEqualTo(999);

        process.destroy();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        output = Files.readAllLines(log);
      } finally {
        process.destroyForcibly();
      }
      assertThat(output).as("the ready line and JSON log lines only: no notice from SLF4J or logback")
          .allSatisfy(line -> assertThat(line).satisfiesAnyOf(
              ready -> assertThat(ready).isEqualTo("Sidecar is ready"),
              json -> assertThat(json).startsWith("{\"time\":")));
      assertThat(String.join("\n", output)).contains("serving gRPC on", "shutting down: draining calls in flight")
          .doesNotContain("jar-key");
    }
  }

  @Test
  void anInvalidConfigurationStopsStartupListingEveryProblem() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString())
        .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    builder.environment().remove("SERVER_API_KEY");
    builder.environment().putAll(Map.of("ENTITLEMENTS_FALLBACK", "{\"f\":{\"hasAccess\":1}}", "PORT", "http"));
    Process process = builder.start();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("err"))).contains("cannot start, the configuration is invalid",
        "SERVER_API_KEY: required", "ENTITLEMENTS_FALLBACK.f.hasAccess: must be true or false, got 1",
        "PORT: must be a whole number");
  }

  /**
   * The jar binds its own logging provider, which spares the start logback's configuration search;
   * SLF4J names the provider it was told to use when asked to be verbose.
   */
  @Test
  void logsThroughItsOwnProviderFromTheFirstLine() throws Exception {
    Path out = dir.resolve("out");
    ProcessBuilder builder = new ProcessBuilder("java", "-Dslf4j.internal.verbosity=INFO", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().putAll(Map.of("OFFLINE", "true", "PORT", String.valueOf(freePort()),
        "HTTP_PORT", String.valueOf(freePort()), "HTTP_BIND_ADDRESS", "127.0.0.1"));
    Process process = builder.start();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> Files.readAllLines(out).contains("Sidecar is ready"));
    } finally {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(out)).contains("provider \"dev.stiggsidecar.logging.JsonLogProvider\" specified");
  }

  @Test
  void anOccupiedPortIsNamedInTheError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("out").toFile());
      builder.environment().putAll(Map.of("OFFLINE", "true", "PORT", String.valueOf(taken.getLocalPort()),
          "HTTP_PORT", String.valueOf(freePort())));
      Process process = builder.start();

      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(Files.readString(dir.resolve("out"))).contains("cannot serve gRPC on 127.0.0.1:" + taken.getLocalPort()
          + " (PORT)");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
