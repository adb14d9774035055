package dev.stiggsidecar.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs scripts of the Node conformance package ({@code conformance/node-sdk}) that drive Stigg's
 * official Node server SDK. Installs the pinned SDK with {@code npm ci} on first use. Without Node
 * the suites are skipped locally, but fail in CI ({@code CI} set), where they must run.
 */
public final class NodeSdk {

  private final Path directory;

  private NodeSdk(Path directory) {
    this.directory = directory;
  }

  /** Finds Node 18+ and the installed SDK, installing it if needed. */
  public static NodeSdk locate() throws IOException, InterruptedException {
    Path directory = Path.of(System.getProperty("conformance.dir", "../conformance/node-sdk")).toAbsolutePath().normalize();
    String version = nodeVersion();
    if (version == null) {
      String message = "node is not on PATH: the Node SDK conformance suite needs Node 18 or newer";
      if (System.getenv("CI") != null) {
        throw new AssertionError(message + " (CI must run it)");
      }
      Assumptions.abort(message);
    }
    int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
    assertThat(major).as("Node major version (" + version + "); the suite needs 18+").isGreaterThanOrEqualTo(18);
    if (!Files.isDirectory(directory.resolve("node_modules/@stigg/node-server-sdk"))) {
      Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
          .directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(directory.resolve("npm-ci.log").toFile()).start();
      boolean finished = install.waitFor(5, TimeUnit.MINUTES);
      assertThat(finished && install.exitValue() == 0)
          .as("npm ci in " + directory + " (see npm-ci.log there)").isTrue();
    }
    return new NodeSdk(directory);
  }

  /** Runs {@code node <script>} with {@code environment}; answers its stdout lines. */
  public List<String> run(String script, Map<String, String> environment) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("node-sdk-", ".out");
    Path stderr = directory.resolve(script + ".stderr.log");
    ProcessBuilder builder = new ProcessBuilder("node", script).directory(directory.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("node " + script + " did not finish within 3 minutes; stderr: " + stderr);
    }
    List<String> lines = Files.readAllLines(stdout);
    Files.delete(stdout);
    assertThat(process.exitValue()).as("exit code of node " + script + "; stderr in " + stderr).isZero();
    return lines;
  }

  private static String nodeVersion() throws InterruptedException {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes()).strip();
      return process.waitFor() == 0 ? output : null;
    } catch (IOException e) {
      return null;
    }
  }
}
