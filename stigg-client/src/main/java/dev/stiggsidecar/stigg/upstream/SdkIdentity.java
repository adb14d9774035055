package dev.stiggsidecar.stigg.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process identity Stigg's SDKs send with every request ({@code X-SDK-INSTANCE-ID} and the
 * {@code X-SDK-OS-PROCESS-*} headers), which Stigg uses to tell client processes apart.
 *
 * @param instanceId a 21-character nanoid, as Stigg's SDK generates
 * @param fingerprint md5 of hostname, process id and start timestamp
 */
public record SdkIdentity(String instanceId, String hostname, long processId, long processTimestamp,
    String fingerprint) {

  private static final String NANOID_ALPHABET = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";

  /**
   * This process's identity, generated on first use and the same from then on. Generating it
   * initialises the JDK's security providers (a secure random, MD5) and resolves the host name:
   * work that a start, which sends nothing to Stigg, need not wait for.
   */
  public static SdkIdentity ofThisProcess() {
    return ThisProcess.IDENTITY;
  }

  /** Holds the identity: the JVM initialises it, once, when {@link #ofThisProcess} first reads it. */
  private static final class ThisProcess {
    static final SdkIdentity IDENTITY = generate();
  }

  private static SdkIdentity generate() {
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder(21);
    for (int i = 0; i < 21; i++) {
      id.append(NANOID_ALPHABET.charAt(random.nextInt(NANOID_ALPHABET.length())));
    }
    String hostname;
    try {
      hostname = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      hostname = "unknown";
    }
    long pid = ProcessHandle.current().pid();
    long timestamp = System.currentTimeMillis();
    return new SdkIdentity(id.toString(), hostname, pid, timestamp, md5(hostname + pid + timestamp));
  }

  /** The identity headers, in the spelling Stigg's SDK uses in the websocket {@code connection_init}. */
  public Map<String, Object> headers() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("source", StiggApiClient.SOURCE);
    headers.put("X-SDK-INSTANCE-ID", instanceId);
    headers.put("X-SDK-OS-PROCESS-HOSTNAME", hostname);
    headers.put("X-SDK-OS-PROCESS-ID", processId);
    headers.put("X-SDK-OS-PROCESS-TIMESTAMP", processTimestamp);
    headers.put("X-SDK-OS-PROCESS-FINGERPRINT", fingerprint);
    return headers;
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is a required JDK algorithm", e);
    }
  }
}
