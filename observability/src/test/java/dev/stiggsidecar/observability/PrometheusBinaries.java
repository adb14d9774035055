package dev.stiggsidecar.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code prometheus} and {@code promtool} from {@code PATH} (Debian's {@code prometheus} package;
 * {@code .ci/run} installs it). Without them a local run skips with a message; in CI they are required.
 */
final class PrometheusBinaries {

  private PrometheusBinaries() {}

  static Path require(String name) {
    Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      assertThat(System.getenv("CI")).as("%s is required in CI (apt-get install prometheus; README: Testing)", name)
          .isNull();
      Assumptions.abort(name + " is not on PATH: apt-get install prometheus to run this test (README: Testing)");
    }
    return found.get();
  }
}
