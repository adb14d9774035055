package dev.stiggsidecar.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar: {@code inject} on the examples prints pure YAML; bad invocations exit 2 with a message. */
class WebhookJarIT {

  private static final Path EXAMPLES = Path.of(System.getProperty("manifests.dir"), "examples");

  @Test
  void injectsTheExamples() throws Exception {
    Result result = run("inject", "-f", EXAMPLES.resolve("annotated-deployment.yaml").toString(),
        "-c", EXAMPLES.resolve("stiggsidecar.yaml").toString());
    assertThat(result.code()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("---\n").contains("name: \"stigg-sidecar\"", "restartPolicy: \"Always\"",
        "name: \"default-sidecar-env\"", "sidecar.stigg.io/config-hash");
  }

  @Test
  void badArgumentsAndMissingFilesExitTwo() throws Exception {
    Result noConfig = run("inject", "-f", EXAMPLES.resolve("annotated-deployment.yaml").toString());
    assertThat(noConfig.code()).isEqualTo(2);
    assertThat(noConfig.stderr()).contains("inject needs -f <workloads> and -c <stiggsidecar>");
    Result missing = run("inject", "-f", "/nonexistent.yaml", "-c", EXAMPLES.resolve("stiggsidecar.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.stderr()).contains("/nonexistent.yaml: no such file");
    Result badFlag = run("inject", "-f", "x", "-c", "y", "--native-sidecar", "maybe");
    assertThat(badFlag.code()).isEqualTo(2);
    assertThat(badFlag.stderr()).contains("--native-sidecar takes true or false, got maybe");
  }

  private record Result(int code, String stdout, String stderr) {}

  private static Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("webhook.jar")));
    command.addAll(List.of(args));
    File err = File.createTempFile("webhook-stderr", ".txt");
    err.deleteOnExit();
    Process process = new ProcessBuilder(command).redirectError(err).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), stdout, Files.readString(err.toPath()));
  }
}
