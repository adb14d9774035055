package dev.stiggsidecar.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, run as users run it: {@code java -jar stigg-emulator.jar ...}. */
class EmulatorJarIT {

  private static final Path JAR = Path.of(System.getProperty("emulator.jar", "target/stigg-emulator.jar"));
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  @TempDir
  Path dir;

  @Test
  void helpDocumentsEveryOption() throws Exception {
    Result result = run(List.of("--help"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).contains("--port", "--host", "--api-key", "--data", "--fault-hold", "--log-level",
        "/v1/c/{customerId}/entitlements.json", "/admin/");
  }

  @Test
  void badArgumentsAreAllReportedWithExitCode2() throws Exception {
    Result result = run(List.of("--port", "70000", "--log-level", "loud", "--verbose"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--port must be a whole number from 0 to 65535, got 70000",
        "--log-level must be one of error, warn, info, debug, got loud", "unknown option --verbose");
  }

  @Test
  void aBadDataFileStopsStartupNamingFileLineAndProblem() throws Exception {
    Path data = dir.resolve("catalog.json");
    Files.writeString(data, "{\"customers\": [\n  {\"customerId\": \"c1\", \"entitlements\": [\n"
        + "    {\"feature\": {\"refId\": \"f\", \"featureType\": \"NUMBER\"}, \"usageLimit\": \"lots\"}]}]}");

    Result result = run(List.of("--port", "0", "--data", data.toString()));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains(data + ":3:", "customers[0].entitlements[0].usageLimit: must be a number");
  }

  @Test
  void startsOnAFreePortAndServesTheSampleCatalog() throws Exception {
    long started = System.nanoTime();
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "--port", "0", "--api-key", "jar-key")
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String base = null;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher listening = LISTENING.matcher(line);
        if (listening.find()) {
          base = listening.group(1);
        }
        if (line.contains("Stigg emulator is ready")) {
          break;
        }
      }
      System.out.printf("emulator jar: ready line after %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(base).as("the listening line").isNotNull();
      HttpProbe http = new HttpProbe(URI.create(base));
      HttpProbe.Answer answer = http.get("/v1/c/acme/entitlements.json", Optional.of("jar-key"));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().at("/data/entitlements")).hasSize(7);
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result run(List<String> arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(arguments);
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
  }
}
