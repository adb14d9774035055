package dev.stiggsidecar.benchmarks;

import dev.stiggsidecar.emulator.AdminClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a cache hit costs as the cache grows, and what a cache bound costs when the working set is
 * ten times larger. For each size a fresh sidecar process (the JVM of an injected sidecar, GC logged) has its
 * cache filled through ordinary misses against the emulator (10 entitlements per customer: 4
 * boolean, 3 numeric, 3 metered), then is checked at 32 in flight for customers picked uniformly at
 * random; the heap after a full GC and the GC pauses inside the measurement window come from the
 * GC log.
 */
final class ScaleRun {

  private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+\\.\\d+)s].*Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\) (\\d+\\.\\d+)ms");
  private static final Pattern COUNTER = Pattern.compile("(?m)^(sidecar_cache_(?:hits|misses|evictions)_total)(?:\\{[^}]*})? (\\S+)$");

  private final Processes processes;
  private final Path root;
  private final Path logs;
  private final int apiPort;
  private final String apiKey;
  private final Duration seconds;
  private int customersLoaded;
  private boolean loadGeneratorWarm;

  ScaleRun(Processes processes, Path root, Path logs, int apiPort, String apiKey, Duration seconds) {
    this.processes = processes;
    this.root = root;
    this.logs = logs;
    this.apiPort = apiPort;
    this.apiKey = apiKey;
    this.seconds = seconds;
  }

  /** The markdown section: one row per size, then the eviction row. */
  String run(List<Integer> entitlementCounts) throws Exception {
    StringBuilder table = new StringBuilder("## Cost as the cache grows\n\n"
        + "A fresh sidecar per row with the JVM of an injected one under the operator's default 384 MiB limit "
        + "(`-XX:MaxRAM=384m`, the image's flags, serial collector; default cache bound, half the heap), real-time "
        + "updates on, its cache filled through misses against "
        + "the emulator (10 entitlements per customer: 4 boolean, 3 numeric, 3 metered), then `GetBooleanEntitlement` "
        + "for customers picked uniformly at random, 32 in flight, " + seconds.toSeconds() + " s. Heap: used after a "
        + "full GC, from the GC log. Resident: the process's RSS at the end of the window. Committed: the JVM's own "
        + "account at the end of the window (native memory tracking, summary level, which adds about 3 MiB): the "
        + "heap, and everything else (class metadata, JIT code, thread stacks, the class-data-sharing archive, "
        + "direct buffers). GC pauses: those inside the measurement window.\n\n"
        + "| cached entitlements | customers | checks/s | p50 µs | p99 µs | heap after GC | resident "
        + "| committed: heap | committed: outside the heap | GC pauses | GC pause p99 | GC pause max | hit ratio "
        + "| evictions | errors |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int entitlements : entitlementCounts) {
      table.append(row(entitlements / 10, entitlements / 10, Map.of())).append('\n');
    }
    // A bound of about a tenth of the working set: 1,000 customers' estimated weight (10
    // entitlements of about 83 estimated bytes each), checked across 10,000 customers.
    int workingSet = 10_000;
    table.append(row(workingSet, workingSet, Map.of("CACHE_MAX_SIZE_BYTES", String.valueOf(workingSet / 10 * 830L))))
        .append(" ← `CACHE_MAX_SIZE_BYTES` = 830,000 (about 1,000 customers), working set 10× that\n");
    return table.toString();
  }

  private String row(int customers, int pickFrom, Map<String, String> extraEnv) throws Exception {
    loadCustomers(customers);
    int grpcPort = Processes.freePort();
    int httpPort = Processes.freePort();
    Path gcLog = logs.resolve("scale-" + customers + (extraEnv.isEmpty() ? "" : "-bounded") + "-gc.log");
    Files.deleteIfExists(gcLog);
    String api = "http://127.0.0.1:" + apiPort;
    // Real-time updates on, as in production: without them entries older than
    // CACHE_MAX_STALENESS_SECS are refreshed, and filling a million entitlements takes longer.
    Map<String, String> env = new HashMap<>(Map.of("SERVER_API_KEY", apiKey, "API_URL", api, "EDGE_API_URL", api,
        "WS_URL", "ws://127.0.0.1:" + apiPort, "PORT", String.valueOf(grpcPort), "HTTP_PORT", String.valueOf(httpPort),
        "LOG_LEVEL", "warn"));
    env.putAll(extraEnv);
    Process sidecar = processes.start("scale-sidecar-" + customers + (extraEnv.isEmpty() ? "" : "-bounded"),
        root.resolve("sidecar/target/stigg-sidecar.jar"), jvm(gcLog), List.of(), env, "Sidecar is ready");
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().directExecutor()
        .build();
    try {
      SidecarServiceGrpc.SidecarServiceStub stub = SidecarServiceGrpc.newStub(channel);
      long fillErrors = fill(stub, Math.min(customers, pickFrom));
      ClosedLoop.Call random = (done, failed) -> stub.getBooleanEntitlement(request(
          ThreadLocalRandom.current().nextInt(pickFrom)), ClosedLoop.observer(done, failed));
      // The first row also warms this JVM's own client path (a fresh JVM needs several seconds).
      ClosedLoop.run(random, 32, Duration.ofSeconds(loadGeneratorWarm ? 6 : 15), Duration.ofSeconds(1), ProcessCpu.of());
      loadGeneratorWarm = true;
      Map<String, Double> before = counters(httpPort);
      double windowStart = uptimeSeconds(sidecar);
      ClosedLoop.Result result = ClosedLoop.run(random, 32, Duration.ofMillis(200), seconds, ProcessCpu.of());
      double windowEnd = uptimeSeconds(sidecar);
      Map<String, Double> after = counters(httpPort);
      List<Double> pauses = pauses(gcLog, windowStart, windowEnd);
      String resident = resident(sidecar);
      Committed committed = Committed.of(sidecar);
      // jcmd returns once the collection is done, and the GC log is written synchronously.
      new ProcessBuilder("jcmd", String.valueOf(sidecar.pid()), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
      String heap = heapAfterFullGc(gcLog);
      double hits = delta(before, after, "sidecar_cache_hits_total");
      double misses = delta(before, after, "sidecar_cache_misses_total");
      double evictions = delta(before, after, "sidecar_cache_evictions_total");
      pauses.sort(Double::compare);
      String line = String.format("| %,d | %,d | %,.0f | %.0f | %.0f | %s | %s | %s | %s | %d | %s | %s | %.3f | %,.0f | %d |",
          customers * 10L, customers, result.throughput(), result.percentileMicros(50), result.percentileMicros(99), heap,
          resident, committed.heap(), committed.outsideHeap(),
          pauses.size(), pauses.isEmpty() ? "-" : String.format("%.1f ms", pauses.get((int) Math.ceil(pauses.size() * 0.99) - 1)),
          pauses.isEmpty() ? "-" : String.format("%.1f ms", pauses.get(pauses.size() - 1)),
          hits + misses == 0 ? 0 : hits / (hits + misses), evictions, result.errors() + fillErrors);
      System.out.println("scale: " + line);
      return line;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      sidecar.destroy();
      sidecar.waitFor(15, TimeUnit.SECONDS);
    }
  }

  /** Customers customer-000000 … in the emulator, each with the plan above (kept across rows). */
  private void loadCustomers(int customers) throws InterruptedException {
    if (customers <= customersLoaded) {
      return;
    }
    putCustomers(URI.create("http://127.0.0.1:" + apiPort), customersLoaded, customers);
    customersLoaded = customers;
  }

  private static void putCustomers(URI api, int from, int to) throws InterruptedException {
    AdminClient admin = new AdminClient(api);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int c = from; c < to; c++) {
      int customer = c;
      pool.execute(() -> admin.putEntitlements(name(customer), null, plan(customer)));
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
  }

  /**
   * The load of one row against a sidecar started elsewhere (a container: {@code images/measure.sh}
   * measures its memory meanwhile): the emulator at {@code api} gets the customers, the sidecar at
   * {@code target} caches them through misses, then answers random checks at 32 in flight for
   * {@code window}. Prints what it measured.
   */
  static void loadAgainst(URI api, String target, int entitlements, Duration window) throws InterruptedException {
    int customers = entitlements / 10;
    putCustomers(api, 0, customers);
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor().build();
    try {
      SidecarServiceGrpc.SidecarServiceStub stub = SidecarServiceGrpc.newStub(channel);
      long fillErrors = fill(stub, customers);
      ClosedLoop.Call random = (done, failed) -> stub.getBooleanEntitlement(request(
          ThreadLocalRandom.current().nextInt(customers)), ClosedLoop.observer(done, failed));
      ClosedLoop.run(random, 32, Duration.ofSeconds(10), Duration.ofSeconds(1), ProcessCpu.of());
      System.out.println("measuring");
      ClosedLoop.Result result = ClosedLoop.run(random, 32, Duration.ofMillis(200), window, ProcessCpu.of());
      System.out.printf("%,d entitlements: %,.0f checks/s, p99 %.0f µs, %d errors%n", entitlements, result.throughput(),
          result.percentileMicros(99), result.errors() + fillErrors);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Every customer checked once (a miss, then cached), at most 64 at a time. */
  private static long fill(SidecarServiceGrpc.SidecarServiceStub stub, int customers) throws InterruptedException {
    Semaphore inFlight = new Semaphore(64);
    AtomicLong errors = new AtomicLong();
    for (int c = 0; c < customers; c++) {
      inFlight.acquire();
      stub.withDeadlineAfter(30, TimeUnit.SECONDS).getBooleanEntitlement(request(c),
          ClosedLoop.observer(inFlight::release, error -> {
            errors.incrementAndGet();
            inFlight.release();
          }));
    }
    inFlight.acquire(64);
    return errors.get();
  }

  private static GetBooleanEntitlementRequest request(int customer) {
    return GetBooleanEntitlementRequest.newBuilder().setCustomerId(name(customer)).setFeatureId("feature-1").build();
  }

  private static String name(int customer) {
    return String.format("customer-%06d", customer);
  }

  private static String plan(int customer) {
    List<String> fragments = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      String feature = "\"feature\":{\"refId\":\"feature-" + f + "\",";
      if (f < 4) {
        fragments.add("{" + feature + "\"featureType\":\"BOOLEAN\"}}");
      } else if (f < 7) {
        fragments.add("{" + feature + "\"featureType\":\"NUMBER\",\"meterType\":\"None\"},\"usageLimit\":"
            + (10 + customer % 50) + "}");
      } else {
        fragments.add("{" + feature + "\"featureType\":\"NUMBER\",\"meterType\":\"Incremental\"},\"usageLimit\":10000,"
            + "\"resetPeriod\":\"MONTH\"}");
      }
    }
    return "[" + String.join(",", fragments) + "]";
  }

  /**
   * The JVM of an injected sidecar under the operator's default memory limit (384 MiB): the
   * images' flags ({@code images/jvm.flags}), and the serial collector the JVM picks for a
   * container of that size.
   */
  private List<String> jvm(Path gcLog) throws IOException {
    List<String> flags = new ArrayList<>(List.of("-XX:MaxRAM=384m", "-XX:+UseSerialGC"));
    Files.readAllLines(root.resolve("images/jvm.flags")).stream().map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(flags::add);
    flags.add("-Xlog:gc:file=" + gcLog.toAbsolutePath());
    flags.add("-XX:NativeMemoryTracking=summary");
    return flags;
  }

  private static String resident(Process process) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MiB";
      }
    }
    return "?";
  }

  /** The JVM's committed memory, from {@code jcmd VM.native_memory summary}, in MiB. */
  private record Committed(String heap, String outsideHeap) {

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total: reserved=\\d+MB, committed=(\\d+)MB");
    private static final Pattern HEAP = Pattern.compile("(?m)Java Heap \\(reserved=\\d+MB, committed=(\\d+)MB");

    static Committed of(Process process) throws IOException, InterruptedException {
      Process jcmd = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "VM.native_memory", "summary", "scale=MB")
          .redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      jcmd.waitFor(30, TimeUnit.SECONDS);
      Matcher total = TOTAL.matcher(out);
      Matcher heap = HEAP.matcher(out);
      if (!total.find() || !heap.find()) {
        return new Committed("?", "?");
      }
      long heapMiB = Long.parseLong(heap.group(1));
      return new Committed(heapMiB + " MiB", (Long.parseLong(total.group(1)) - heapMiB) + " MiB");
    }
  }

  private static double uptimeSeconds(Process process) {
    Instant started = process.info().startInstant().orElse(Instant.now());
    return Duration.between(started, Instant.now()).toNanos() / 1e9;
  }

  /** Pause durations (ms) logged between two JVM uptimes. */
  private static List<Double> pauses(Path gcLog, double from, double to) throws IOException {
    List<Double> pauses = new ArrayList<>();
    for (String line : Files.readAllLines(gcLog)) {
      Matcher pause = PAUSE.matcher(line);
      if (pause.find()) {
        double at = Double.parseDouble(pause.group(1));
        if (at >= from && at <= to) {
          pauses.add(Double.parseDouble(pause.group(5)));
        }
      }
    }
    return pauses;
  }

  private static String heapAfterFullGc(Path gcLog) throws IOException {
    String heap = "?";
    for (String line : Files.readAllLines(gcLog)) {
      Matcher pause = PAUSE.matcher(line);
      if (pause.find() && line.contains("Pause Full")) {
        heap = pause.group(3) + " MiB";
      }
    }
    return heap;
  }

  private static Map<String, Double> counters(int httpPort) throws IOException, InterruptedException {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> values = new HashMap<>();
    Matcher counter = COUNTER.matcher(body);
    while (counter.find()) {
      values.merge(counter.group(1), Double.parseDouble(counter.group(2)), Double::sum);
    }
    return values;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
  }
}
