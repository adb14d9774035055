package dev.stiggsidecar.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images {@code images/build.sh} makes are the ones {@code manifests/} deploys: same names,
 * tagged with the project's version. Kustomize cannot read the Maven version, so this test is what
 * keeps the two in step when either changes.
 */
class ImageNamesTest {

  private static final String VERSION = System.getProperty("project.version");
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

  @Test
  void buildScriptMakesEveryImageTheManifestsName() throws IOException {
    List<String> built = builtImages();
    assertThat(built).containsExactlyInAnyOrder(
        "stigg-sidecar", "stigg-persistent-cache", "stigg-emulator", "stigg-sidecar-operator", "stigg-sidecar-webhook");
    Map<String, String> deployed = deployedImages();
    assertThat(built).containsAll(deployed.keySet());
    assertThat(deployed).as("image name -> tag in manifests/kustomization.yaml")
        .containsOnlyKeys("stigg-sidecar", "stigg-persistent-cache", "stigg-sidecar-operator", "stigg-sidecar-webhook")
        .allSatisfy((name, tag) -> assertThat(tag).as("tag of %s", name).isEqualTo(VERSION));
  }

  /** Names in the image table of build.sh: lines such as {@code "stigg-sidecar|sidecar/target/...|...|..."}. */
  private static List<String> builtImages() throws IOException {
    Matcher row = Pattern.compile("(?m)^\\s+\"([a-z0-9-]+)\\|[^|\"]+\\.jar\\|").matcher(
        Files.readString(REPOSITORY.resolve("images/build.sh")));
    return row.results().map(match -> match.group(1)).toList();
  }

  /**
   * Images kustomize sets ({@code images:} entries, {@code name} then {@code newTag}) and the ones
   * the operator and webhook are told to deploy ({@code *_IMAGE=name:tag} literals), Redis aside.
   */
  private static Map<String, String> deployedImages() throws IOException {
    String kustomization = Files.readString(REPOSITORY.resolve("manifests/kustomization.yaml"));
    Map<String, String> images = new LinkedHashMap<>();
    Pattern.compile("(?m)^\\s+- name: (\\S+)\\n\\s+newTag: (\\S+)$").matcher(kustomization).results()
        .forEach(match -> images.put(match.group(1), match.group(2)));
    Pattern.compile("(?m)^\\s+- (?:SIDECAR|PERSISTENT_CACHE)_IMAGE=([^:\\s]+):(\\S+)$").matcher(kustomization).results()
        .forEach(match -> images.put(match.group(1), match.group(2)));
    return images;
  }
}
