package dev.stiggsidecar.kubetest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the project's runnable jars as a separate process, configured only through its
 * environment as in a container, with its output kept in a file for assertions and for the
 * report when a test fails.
 */
public final class JarProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private JarProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java -jar <jar> <args>} with {@code env} added to a clean environment (PATH and HOME only). */
  public static JarProcess start(String name, Path jar, List<String> args, Map<String, String> env) {
    try {
      Path log = Files.createTempFile(Path.of("target"), name + "-", ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().retainAll(List.of("PATH", "HOME"));
      environment.putAll(env);
      return new JarProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What the process printed so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * SIGTERM, as the kubelet sends, and waits for the exit.
   *
   * @return the exit code
   * @throws IllegalStateException if the process has not exited within {@code timeoutSeconds}
   */
  public int stop(int timeoutSeconds) {
    process.destroy();
    return awaitExit(timeoutSeconds);
  }

  /** SIGKILL: a crash or a node lost. */
  public int kill() {
    process.destroyForcibly();
    return awaitExit(30);
  }

  /** @return the exit code, once the process has exited on its own within {@code timeoutSeconds} */
  public int awaitExit(int timeoutSeconds) {
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " did not exit within " + timeoutSeconds + " s; its output:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return name + ":\n" + output();
  }
}
