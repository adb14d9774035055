package dev.stiggsidecar.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookServerTest {

  @ParameterizedTest(name = "{0}.{1} -> {2}")
  @CsvSource({"1, 28, false", "1, 29, true", "1, 30+, true", "1, 27+, false", "2, 0, true", "1, '', false"})
  void nativeSidecarsFromKubernetes129(String major, String minor, boolean expected) {
    VersionInfo version = new VersionInfo.Builder().withMajor(major).withMinor(minor == null ? "" : minor).build();
    assertThat(WebhookServer.supportsNativeSidecars(version)).isEqualTo(expected);
  }
}
