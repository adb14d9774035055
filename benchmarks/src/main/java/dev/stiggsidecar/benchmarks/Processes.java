package dev.stiggsidecar.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Starts the runnable jars as child processes on free loopback ports, and stops them. */
final class Processes implements AutoCloseable {

  private final List<Process> started = new ArrayList<>();
  private final Path logs;

  Processes(Path logs) throws IOException {
    this.logs = Files.createDirectories(logs);
  }

  /** Starts {@code java <jvmArgs> -jar <jar> <args>} and waits for {@code readyLine} on its output. */
  Process start(String name, Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env,
      String readyLine) throws IOException, InterruptedException {
    List<String> launch = new ArrayList<>(jvmArgs);
    launch.addAll(List.of("-jar", jar.toString()));
    return launch(name, jar, launch, args, env, readyLine);
  }

  /** Starts {@code java <jvmArgs> -cp <jar> <mainClass> <args>} and waits for {@code readyLine}. */
  Process startClass(String name, Path jar, String mainClass, List<String> jvmArgs, List<String> args,
      String readyLine) throws IOException, InterruptedException {
    List<String> launch = new ArrayList<>(jvmArgs);
    launch.addAll(List.of("-cp", jar.toString(), mainClass));
    return launch(name, jar, launch, args, Map.of(), readyLine);
  }

  private Process launch(String name, Path jar, List<String> launch, List<String> args, Map<String, String> env,
      String readyLine) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: build first with mvn -B -q package -DskipTests -Dimages.skip");
    }
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(launch);
    command.addAll(args);
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains(readyLine)) {
        return process;
      }
      if (!process.isAlive()) {
        throw new IOException(name + " exited early; see " + log);
      }
      Thread.sleep(50);
    }
    throw new IOException(name + " did not print \"" + readyLine + "\" within 60 s; see " + log);
  }

  /** Polls an HTTP endpoint until its body satisfies {@code expected}, for up to 30 s. */
  static void awaitBody(URI uri, String description, Predicate<String> expected)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (expected.test(last)) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(50);
    }
    throw new IOException(uri + " did not answer " + description + " within 30 s; last answer: " + last);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : started) {
      process.destroy();
    }
    for (Process process : started) {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
