package dev.stiggsidecar.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A process run to its end (at most two minutes), both streams read so neither can block it. */
record Command(List<String> words, int exitCode, String stdout, String stderr) {

  static Command run(List<String> words, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(words);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", words) + " did not finish in 2 minutes");
      }
      return new Command(words, process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Command requireSuccess() {
    if (exitCode != 0) {
      throw new AssertionError(String.join(" ", words) + " exited with " + exitCode
          + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
    }
    return this;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
