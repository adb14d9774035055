package dev.stiggsidecar.emulator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {

  @TempDir
  Path dir;

  @Test
  void loadsJsonAndYamlFiles() throws Exception {
    Path json = write("catalog.json", """
        {"customers": [{"customerId": "c1", "entitlements": [
          {"feature": {"refId": "f1", "featureType": "BOOLEAN"}}]}]}
        """);
    Path yaml = write("catalog.yml", """
        customers:
          - customerId: c2
            resourceId: r1
            entitlements:
              - feature: {refId: f2, featureType: ENUM}
                enumValues: [a, b]
        """);
    Catalog catalog = new Catalog(Clock.systemUTC());

    CatalogFile.load(json, catalog);
    CatalogFile.load(yaml, catalog);

    assertThat(catalog.keys()).extracting(EntityKey::toString).containsExactly("c1", "c2:r1");
    assertThat(catalog.entitlementsOf(EntityKey.of("c2", "r1")).orElseThrow().get(0).get("resourceId").asText())
        .isEqualTo("r1");
  }

  @Test
  void reportsEveryProblemWithFileLineAndColumn() throws IOException {
    Path yaml = write("bad.yaml", """
        customers:
          - customerId: c1
            entitlements:
              - feature: {refId: f1, featureType: BOOL}
          - entitlements: []
            fault: sometimes
        """);

    assertThatThrownBy(() -> CatalogFile.load(yaml, new Catalog(Clock.systemUTC())))
        .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
            yaml + ":4:43: customers[0].entitlements[0].feature.featureType: \"BOOL\" is not one of BOOLEAN, NUMBER, ENUM",
            yaml + ":5:5: customers[1].customerId: is required: the customer's id",
            yaml + ":6:12: customers[1].fault: \"sometimes\" is not one of graphql-errors, http-500, timeout"));
  }

  @Test
  void malformedJsonNamesTheFileAndPosition() throws IOException {
    Path json = write("broken.json", "{\"customers\": [\n  {\"customerId\": \"c1\",, }\n]}");

    assertThatThrownBy(() -> CatalogFile.load(json, new Catalog(Clock.systemUTC())))
        .hasMessageStartingWith(json + ":2:")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> CatalogFile.load(missing, new Catalog(Clock.systemUTC())))
        .hasMessage(missing + ": no such file");
  }

  @Test
  void aFileWithoutCustomersSaysWhatItMustContain() throws IOException {
    Path json = write("empty.json", "{}");

    assertThatThrownBy(() -> CatalogFile.load(json, new Catalog(Clock.systemUTC())))
        .hasMessage(json + ":1:1: customers: the file must be an object with a \"customers\" list");
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
