package dev.stiggsidecar.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples fell, as markdown: the methods most often on top of the stack
 * (self time) and the packages they belong to. Used on the sidecar's recording of the hit path to
 * say how much is the sidecar's own code and how much is gRPC, Netty and the kernel.
 *
 * <p>{@code java -cp stigg-benchmarks.jar dev.stiggsidecar.benchmarks.ProfileSummary <file.jfr>}
 */
public final class ProfileSummary {

  private static final String OWN_WORK = "event loop: the sidecar's own work";

  private ProfileSummary() {}

  public static void main(String[] args) throws Exception {
    System.out.println(summarize(Path.of(args[0]), 25));
  }

  static String summarize(Path recording, int top) throws Exception {
    Map<String, Integer> methods = new HashMap<>();
    Map<String, Integer> areas = new HashMap<>();
    Map<String, Integer> onLoop = new HashMap<>();
    Map<String, Integer> ownWork = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      RecordedFrame frame = stack.getFrames().get(0);
      String type = frame.getMethod().getType().getName();
      methods.merge(type + "." + frame.getMethod().getName(), 1, Integer::sum);
      areas.merge(area(type, stack.getFrames()), 1, Integer::sum);
      String share = loopShare(event, stack.getFrames());
      onLoop.merge(share, 1, Integer::sum);
      if (share.equals(OWN_WORK)) {
        sidecarFrame(stack.getFrames()).ifPresent(method -> ownWork.merge(method, 1, Integer::sum));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(samples).append(" CPU samples (jdk.ExecutionSample) in Java code; time in the kernel and in "
        + "native code outside the JVM is not sampled here.\n\n");
    table(out, "where the sampled thread was (by the topmost frame's area)", areas, samples, top);
    table(out, "whose work it was (the sidecar's code and everything it calls counted as its own)", onLoop, samples,
        top);
    table(out, "the sidecar's own work on the event loop, by its frame nearest the top of the stack", ownWork,
        samples, top);
    table(out, "hottest methods (self)", methods, samples, top);
    return out.toString();
  }

  /**
   * Whose work an event-loop sample was: the sidecar's own (its handler and everything it calls:
   * request parsing, lookup, decision, response building, metrics), by the sidecar method nearest
   * the top of the stack; the transport's reached through the sidecar's call wrapper (a {@code
   * TypedCall} method that only forwards to grpc-java, which then frames and writes the response);
   * or the transport's alone. Samples on other threads (start-up, real-time updates, the HTTP
   * endpoints, JFR itself) are not a call's work.
   */
  private static String loopShare(RecordedEvent event, List<RecordedFrame> frames) {
    String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
    if (thread == null || !thread.startsWith("sidecar-io-")) {
      return "other threads: start-up, real-time updates, HTTP endpoints, JFR";
    }
    Optional<String> sidecar = sidecarFrame(frames);
    if (sidecar.isEmpty()) {
      return "event loop: grpc-java, Netty and the JDK, no sidecar frame on the stack";
    }
    if (sidecar.get().startsWith("ServedMethods$TypedCall.")) {
      return "event loop: grpc-java, Netty and protobuf sending the answer, under the sidecar's call wrapper";
    }
    return OWN_WORK;
  }

  /**
   * The sidecar's frame nearest the top of the stack, as {@code Class.method}; empty when the sample
   * is not inside the sidecar's code. Frames of the sidecar's event-loop set-up (package {@code
   * transport}) are left out: an event-loop thread runs the transport, not the sidecar's work.
   */
  private static Optional<String> sidecarFrame(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("dev.stiggsidecar.") && !type.startsWith("dev.stiggsidecar.sidecar.transport.")) {
        // A lambda's hidden class is named after its outer class plus a generated suffix.
        type = type.replaceFirst("\\$\\$Lambda.*", "\\$\\$Lambda");
        int nested = type.indexOf('$');
        int simpleName = type.lastIndexOf('.', nested < 0 ? type.length() : nested) + 1;
        return Optional.of(type.substring(simpleName) + "." + frame.getMethod().getName());
      }
    }
    return Optional.empty();
  }

  /** The sidecar's code, gRPC, Netty, protobuf, metrics, Caffeine, or the rest, by the top frame's class. */
  private static String area(String type, List<RecordedFrame> frames) {
    if (type.startsWith("dev.stiggsidecar.")) {
      return "sidecar code";
    }
    if (type.contains(".netty.")) {
      return "Netty (transport, HTTP/2, event loop)";
    }
    if (type.startsWith("io.grpc.")) {
      return "grpc-java";
    }
    if (type.startsWith("com.google.protobuf.")) {
      return "protobuf";
    }
    if (type.startsWith("io.micrometer.") || type.startsWith("org.HdrHistogram.")) {
      return "metrics";
    }
    if (type.startsWith("com.github.benmanes.caffeine.")) {
      return "Caffeine";
    }
    return sidecarFrame(frames).isPresent()
        ? "JDK and other libraries, called from sidecar code" : "JDK, called from the transport";
  }

  private static void table(StringBuilder out, String title, Map<String, Integer> counts, int samples, int top) {
    out.append("| ").append(title).append(" | samples | share |\n|---|---:|---:|\n");
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
    sorted.forEach((key, count) -> out.append(String.format("| `%s` | %d | %.1f%% |%n", key, count,
        100.0 * count / Math.max(1, samples))));
    out.append('\n');
  }
}
