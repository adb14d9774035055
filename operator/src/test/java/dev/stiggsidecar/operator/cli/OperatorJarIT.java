package dev.stiggsidecar.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar: {@code render} prints pure YAML on stdout and fails clearly on bad input. */
class OperatorJarIT {

  private static final String JAR = System.getProperty("operator.jar");
  private static final Path EXAMPLE = Path.of(System.getProperty("manifests.dir"), "examples", "stiggsidecar.yaml");

  @Test
  void rendersTheExampleAsPureYaml() throws Exception {
    Result result = run("render", "-f", EXAMPLE.toString());
    assertThat(result.code()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("---\n");
    assertThat(result.stdout().lines().filter(line -> line.startsWith("kind: ")).toList()).hasSize(9);
    assertThat(result.stderr()).as("the note on the password Secret goes to stderr").contains("default-redis-auth");
    assertThat(result.stdout()).doesNotContain("DEBUG", "INFO");
  }

  @Test
  void missingFileAndUnknownCommandExitNonZeroWithAMessage() throws Exception {
    Result missing = run("render", "-f", "/nonexistent/stiggsidecar.yaml");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.stderr()).contains("no such file");
    Result unknown = run("deploy");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown command deploy", "Usage:");
  }

  private record Result(int code, String stdout, String stderr) {}

  private static Result run(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR));
    command.addAll(List.of(args));
    File err = File.createTempFile("operator-stderr", ".txt");
    err.deleteOnExit();
    Process process = new ProcessBuilder(command).redirectError(err).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), stdout, java.nio.file.Files.readString(err.toPath()));
  }
}
