package dev.stiggsidecar.kubetest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Gives kube-api-test binaries it would otherwise download. It looks for
 * {@code <dir>/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}}; this builds that layout
 * under the build's own directory from a folder of provided binaries, copying them (a provided copy
 * may have lost its execute bits) and linking the {@code kubectl} on {@code PATH}, which
 * kube-api-test runs to see that the server answers.
 */
final class ApiServerBinaries {

  private static final String PLATFORM = "-linux-amd64";

  private ApiServerBinaries() {}

  /**
   * @param provided a folder holding {@code <version>-linux-amd64/} with {@code etcd} and {@code kube-apiserver}
   * @return the version laid out under {@code testDirectory}, if {@code provided} holds one
   */
  static Optional<String> layOut(Path provided, Path testDirectory) {
    Optional<Path> source = newest(provided);
    if (source.isEmpty()) {
      return Optional.empty();
    }
    String folder = source.get().getFileName().toString();
    Path target = testDirectory.resolve("k8s").resolve(folder);
    try {
      Files.createDirectories(target);
      for (String binary : List.of("etcd", "kube-apiserver")) {
        Path copy = target.resolve(binary);
        if (!Files.exists(copy) || Files.size(copy) != Files.size(source.get().resolve(binary))) {
          Files.copy(source.get().resolve(binary), copy, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!copy.toFile().setExecutable(true)) {
          throw new IllegalStateException("cannot make " + copy + " executable");
        }
      }
      Path kubectl = target.resolve("kubectl");
      if (!Files.exists(kubectl, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(kubectl, kubectlOnPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not lay out the API server binaries under " + target, e);
    }
    return Optional.of(folder.substring(0, folder.length() - PLATFORM.length()));
  }

  private static Optional<Path> newest(Path provided) {
    if (!Files.isDirectory(provided)) {
      return Optional.empty();
    }
    try (Stream<Path> folders = Files.list(provided)) {
      return folders.filter(folder -> folder.getFileName().toString().endsWith(PLATFORM))
          .filter(folder -> Files.exists(folder.resolve("kube-apiserver")) && Files.exists(folder.resolve("etcd")))
          .max(Comparator.comparing(folder -> folder.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path kubectlOnPath() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(directory -> Path.of(directory, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "kubectl is not on PATH; the tests on a real API server need it (README: Testing)"));
  }
}
