package dev.stiggsidecar.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Podman through {@code images/podman.sh} (the images' private configuration), on a storage of
 * its own under {@code storageRoot}, so the smoke tests run images loaded from the OCI archives,
 * as a user would get them, rather than the ones the build left in its storage.
 */
final class Podman {

  /** What a finished podman command printed and returned. */
  record Result(int exitCode, String stdout, String stderr) {

    Result requireSuccess(List<String> args) {
      if (exitCode != 0) {
        throw new AssertionError("podman " + String.join(" ", args) + " exited with " + exitCode
            + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  private final Path script;
  private final Path storageRoot;

  Podman(Path script, Path storageRoot) {
    this.script = script;
    this.storageRoot = storageRoot;
  }

  /** Runs a podman command to its end (at most two minutes). */
  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("STIGG_IMAGES_TARGET", storageRoot.toString());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("podman " + String.join(" ", args) + " did not finish in 2 minutes");
      }
      return new Result(process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs a podman command that must succeed and returns what it printed. */
  String ok(String... args) {
    return run(args).requireSuccess(List.of(args)).stdout();
  }

  /** The container's output so far, both streams. */
  String logs(String container) {
    Result result = run("logs", container);
    return result.stdout() + result.stderr();
  }

  /** Waits until the container has printed {@code text}, failing with its output if it stops first. */
  void awaitLog(String container, String text) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      String output = logs(container);
      if (output.contains(text)) {
        return;
      }
      boolean running = ok("inspect", "--format", "{{.State.Running}}", container).strip().equals("true");
      if (!running || System.nanoTime() > deadline) {
        throw new AssertionError(container + (running ? " did not print '" : " stopped before printing '")
            + text + "' within 60 s; its output:\n" + output);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The process id, on this host, of the container's main process. */
  long pid(String container) {
    return Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", container).strip());
  }

  void removeQuietly(String... containers) {
    List<String> args = new ArrayList<>(List.of("rm", "--force", "--ignore", "--time", "5"));
    args.addAll(List.of(containers));
    run(args.toArray(String[]::new));
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
