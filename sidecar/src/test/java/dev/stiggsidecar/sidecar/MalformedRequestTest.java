package dev.stiggsidecar.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes that are not a protobuf message of the method's request type: a client bug, named as such. */
class MalformedRequestTest {

  private SidecarHarness sidecar;

  @BeforeEach
  void start() throws Exception {
    sidecar = SidecarHarness.startWithoutWaiting(java.net.URI.create("http://127.0.0.1:9"), "", Map.of("OFFLINE", "true"));
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  @Test
  void undecodableBytesAreInvalidArgument() {
    // Field 1 (customer_id) announced as 100 bytes long, then the message ends.
    byte[] truncated = {0x0a, 0x64, 0x61};

    assertThatThrownBy(() -> RawUnaryCall.call(sidecar.channel(),
        "stigg.sidecar.v1.SidecarService/GetBooleanEntitlement", truncated))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("GetBooleanEntitlementRequest");
        });
  }
}
