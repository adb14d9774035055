package dev.stiggsidecar.images;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Podman through {@code images/podman.sh} (the images' private configuration), on a storage of
 * its own under {@code storageRoot}, so the smoke tests run images loaded from the OCI archives,
 * as a user would get them, rather than the ones the build left in its storage.
 */
final class Podman {

  private final Path script;
  private final Path storageRoot;

  Podman(Path script, Path storageRoot) {
    this.script = script;
    this.storageRoot = storageRoot;
  }

  /** Runs a podman command to its end. */
  Command run(String... args) {
    List<String> words = new ArrayList<>(List.of("bash", script.toString()));
    words.addAll(List.of(args));
    return Command.run(words, Map.of("STIGG_IMAGES_TARGET", storageRoot.toString()));
  }

  /** Runs a podman command that must succeed and returns what it printed. */
  String ok(String... args) {
    return run(args).requireSuccess().stdout();
  }

  /** The container's output so far, both streams. */
  String logs(String container) {
    Command logs = run("logs", container);
    return logs.stdout() + logs.stderr();
  }

  /** Waits until the container has printed {@code text}, failing with its output if it stops first. */
  void awaitLog(String container, String text) {
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        String output = logs(container);
        if (!output.contains(text) && ok("inspect", "--format", "{{.State.Running}}", container).strip().equals("false")) {
          throw new AssertionError(container + " stopped before printing '" + text + "'; its output:\n" + output);
        }
        return output.contains(text);
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(container + " did not print '" + text + "' within 60 s; its output:\n" + logs(container), e);
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
}
