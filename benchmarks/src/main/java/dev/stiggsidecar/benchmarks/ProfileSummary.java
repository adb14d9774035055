package dev.stiggsidecar.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private ProfileSummary() {}

  public static void main(String[] args) throws Exception {
    System.out.println(summarize(Path.of(args[0]), 25));
  }

  static String summarize(Path recording, int top) throws Exception {
    Map<String, Integer> methods = new HashMap<>();
    Map<String, Integer> areas = new HashMap<>();
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
    }
    StringBuilder out = new StringBuilder();
    out.append(samples).append(" CPU samples (jdk.ExecutionSample) in Java code; time in the kernel and in "
        + "native code outside the JVM is not sampled here.\n\n");
    table(out, "where the sampled thread was (by the topmost frame's area)", areas, samples, top);
    table(out, "hottest methods (self)", methods, samples, top);
    return out.toString();
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
    boolean underSidecar = frames.stream().anyMatch(f -> f.getMethod().getType().getName().startsWith("dev.stiggsidecar."));
    return underSidecar ? "JDK and other libraries, called from sidecar code" : "JDK, called from the transport";
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
