package dev.stiggsidecar.proto;

import static org.assertj.core.api.Assertions.assertThat;

import io.stigg.sidecar.proto.v1.SidecarProto;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Holds the generated descriptor to the checked-in contract table, row for row, in both directions:
 * a renumbered, retyped, relabelled, added or removed field, enum value, message or RPC fails the
 * build with the exact rows that differ.
 */
class ContractTest {

  private static final String TABLE = "/contract/sidecar-contract.tsv";

  @Test
  void generatedDescriptorMatchesTheContractTable() throws IOException {
    List<String> expected = contractRows();
    List<String> actual = DescriptorRows.of(SidecarProto.getDescriptor());

    assertThat(difference(expected, actual)).as("in the contract table but not in sidecar.proto").isEmpty();
    assertThat(difference(actual, expected)).as("in sidecar.proto but not in the contract table").isEmpty();
  }

  @Test
  void contractTableHasTheDocumentedShape() throws IOException {
    List<String> rows = contractRows();

    assertThat(rows).filteredOn(row -> row.startsWith("message\t")).hasSize(48);
    assertThat(rows).filteredOn(row -> row.startsWith("rpc\t")).hasSize(12);
    assertThat(rows.stream().filter(row -> row.startsWith("enum\t")).map(row -> row.split("\t")[1]).distinct())
        .containsExactly("AccessDeniedReason", "FeatureType", "MeterType", "EntitlementResetPeriod",
            "UsageUpdateBehavior");
  }

  @Test
  void aRenumberedFieldIsReportedAsADifference() {
    List<String> actual = DescriptorRows.of(SidecarProto.getDescriptor());
    List<String> tampered = new ArrayList<>(actual);
    int index = tampered.indexOf("field\tMeteredEntitlementOptions\trequested_usage\t1\tdouble\toptional");
    assertThat(index).as("row present before tampering").isNotNegative();
    tampered.set(index, "field\tMeteredEntitlementOptions\trequested_usage\t2\tdouble\toptional");

    assertThat(difference(tampered, actual)).containsExactly(tampered.get(index));
    assertThat(difference(actual, tampered)).containsExactly(actual.get(index));
  }

  @Test
  void grpcServiceUsesTheWireMethodPaths() {
    assertThat(SidecarServiceGrpc.SERVICE_NAME).isEqualTo("stigg.sidecar.v1.SidecarService");
    assertThat(SidecarServiceGrpc.getGetBooleanEntitlementMethod().getFullMethodName())
        .isEqualTo("stigg.sidecar.v1.SidecarService/GetBooleanEntitlement");
  }

  private static List<String> difference(List<String> left, List<String> right) {
    Set<String> remaining = new LinkedHashSet<>(left);
    right.forEach(remaining::remove);
    return List.copyOf(remaining);
  }

  private static List<String> contractRows() throws IOException {
    try (InputStream in = ContractTest.class.getResourceAsStream(TABLE)) {
      assertThat(in).as(TABLE + " on the test classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .toList();
    }
  }
}
