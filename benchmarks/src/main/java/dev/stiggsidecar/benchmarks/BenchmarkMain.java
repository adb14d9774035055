package dev.stiggsidecar.benchmarks;

import com.google.protobuf.Empty;
import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.logging.JsonLogProvider;
import dev.stiggsidecar.logging.LogSetup;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.embedded.RedisServer;

/**
 * {@code java -jar benchmarks/target/stigg-benchmarks.jar [--seconds 3] [--levels 1,8,32,128]
 * [--repeats 3] [--out benchmarks/results] [--sidecar-jvm "-Xmx512m ..."] [--profile hit-path.jfr]}: starts the emulator and the sidecar jars as processes
 * and measures, in one run against the same server:
 * <ul>
 *   <li>the floor: a bare grpc-java server's empty unary method ({@link FloorServer}), and for the
 *       Redis rows a raw Redis {@code GET}; also the health check on the sidecar's own server, which
 *       pays the sidecar's server configuration;
 *   <li>{@code GetBooleanEntitlement} and {@code GetMeteredEntitlement} cache hits;
 *   <li>the miss path: every call for a customer never seen, fetched from the emulator;
 *   <li>coalescing: 1,000 concurrent misses for one customer, counted at the emulator;
 *   <li>heap per cached entitlement at 1,000,000 entitlements (a JVM of its own).
 * </ul>
 * Floor and hits are interleaved, repeated, and the median repeat is reported, as ratios against
 * the floor measured in the same run.
 */
public final class BenchmarkMain {

  private static final String KEY = "benchmark-key";
  /** The floor of every gRPC row: {@link FloorServer}. */
  private static final String FLOOR = "floor: bare grpc-java server, empty unary";
  /** The floor of the Redis rows: one Redis round trip from the load generator. */
  private static final String REDIS_FLOOR = "floor: raw Redis GET (Lettuce, same client)";
  /** The floor of answering a gRPC call from Redis: {@link FloorServer} given a Redis port. */
  private static final String REDIS_ANSWER_FLOOR = "floor: bare grpc-java server answering after one Redis GET";
  /** The same on one event loop for grpc-java and Lettuce, as the sidecar runs them. */
  private static final String REDIS_ONE_LOOP_FLOOR = REDIS_ANSWER_FLOOR + ", one event loop";
  private static final String REDIS_NO_NEAR = "Boolean hit, Redis, no near cache";
  /** The longest a scenario is warmed at one concurrency, compiler still busy or not. */
  private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    JsonLogProvider.select();
    if (args.length > 0 && args[0].equals("faults")) {
      dev.stiggsidecar.benchmarks.faults.FaultMatrix.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("load")) {
      // load --api URL --target HOST:PORT --entitlements N [--seconds S]: images/measure.sh's load.
      Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
      LogSetup.configure("warn", List.of());
      ScaleRun.loadAgainst(URI.create(options.get("api")), options.get("target"),
          Integer.parseInt(options.get("entitlements")), Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10"))));
      System.exit(0);
    }
    if (args.length > 0 && args[0].equals("scale")) {
      scaleOnly(options(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    LogSetup.configure("warn", List.of());
    Map<String, String> options = options(args);
    Duration seconds = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "3")));
    int repeats = Integer.parseInt(options.getOrDefault("repeats", "3"));
    List<Integer> levels = Arrays.stream(options.getOrDefault("levels", "1,8,32,128").split(","))
        .map(Integer::parseInt).toList();
    Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
    Path root = Path.of(options.getOrDefault("root", "."));
    // --profile: a JFR recording of the in-memory sidecar, over the hit scenarios only, summarized.
    Optional<Path> profile = Optional.ofNullable(options.get("profile")).map(Path::of);

    List<Report.Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<AutoCloseable> closeLater = new ArrayList<>();
    Optional<String> missOverhead = Optional.empty();
    Optional<String> scale = Optional.empty();
    List<Integer> scaleSizes = scaleSizes(options);
    try (Processes processes = new Processes(out.resolve("logs"))) {
      int apiPort = Processes.freePort();
      int grpcPort = Processes.freePort();
      startEmulator(processes, root, apiPort);
      String api = "http://127.0.0.1:" + apiPort;
      int floorPort = Processes.freePort();
      Process floorProcess = processes.startClass("floor", root.resolve("benchmarks/target/stigg-benchmarks.jar"),
          FloorServer.class.getName(), List.of(), List.of(String.valueOf(floorPort)), FloorServer.READY);
      List<String> sidecarJvm = options.containsKey("sidecar-jvm")
          ? List.of(options.get("sidecar-jvm").split(" ")) : List.of();
      List<Integer> sidecarHttpPorts = new ArrayList<>();
      sidecarHttpPorts.add(Processes.freePort());
      List<String> memorySidecarJvm = new ArrayList<>(sidecarJvm);
      profile.ifPresent(file -> memorySidecarJvm.add("-XX:StartFlightRecording=filename=" + file.toAbsolutePath()
          + ",settings=profile,dumponexit=true"));
      Process memorySidecar = processes.start("sidecar", root.resolve("sidecar/target/stigg-sidecar.jar"), memorySidecarJvm, List.of(),
          sidecarEnv(apiPort, grpcPort, sidecarHttpPorts.get(0)), "Sidecar is ready");
      AdminClient admin = new AdminClient(URI.create(api));
      int redisPort = Processes.freePort();
      RedisServer redisServer = RedisServer.newRedisServer().port(redisPort)
          .bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
      redisServer.start();
      closeLater.add(redisServer::stop);
      int redisFloorPort = Processes.freePort();
      Process redisFloorProcess = processes.startClass("floor-redis",
          root.resolve("benchmarks/target/stigg-benchmarks.jar"), FloorServer.class.getName(), List.of(),
          List.of(String.valueOf(redisFloorPort), String.valueOf(redisPort)), FloorServer.READY);
      int oneLoopFloorPort = Processes.freePort();
      Process oneLoopFloorProcess = processes.startClass("floor-redis-one-loop",
          root.resolve("benchmarks/target/stigg-benchmarks.jar"), FloorServer.class.getName(), List.of(),
          List.of(String.valueOf(oneLoopFloorPort), String.valueOf(redisPort), FloorServer.ONE_LOOP),
          FloorServer.READY);
      int nearPort = Processes.freePort();
      int plainPort = Processes.freePort();
      long redisPid = ProcessCpu.child("redis-server")
          .orElseThrow(() -> new IllegalStateException("redis-server process not found"));
      ProcessCpu redisCpu = ProcessCpu.of(redisPid);
      Map<Boolean, Long> redisSidecars = new HashMap<>();
      for (boolean nearCache : new boolean[] {true, false}) {
        sidecarHttpPorts.add(Processes.freePort());
        Map<String, String> env = sidecarEnv(apiPort, nearCache ? nearPort : plainPort,
            sidecarHttpPorts.get(sidecarHttpPorts.size() - 1));
        env.putAll(Map.of("REDIS_ENVIRONMENT_PREFIX", "bench", "REDIS_HOST", "127.0.0.1",
            "REDIS_PORT", String.valueOf(redisPort), "REDIS_NEAR_CACHE", String.valueOf(nearCache)));
        redisSidecars.put(nearCache, processes.start(nearCache ? "sidecar-redis-near" : "sidecar-redis",
            root.resolve("sidecar/target/stigg-sidecar.jar"), sidecarJvm, List.of(), env, "Sidecar is ready").pid());
      }
      ManagedChannel floorChannel = NettyChannelBuilder.forAddress("127.0.0.1", floorPort).usePlaintext()
          .directExecutor().build();
      ManagedChannel redisFloorChannel = NettyChannelBuilder.forAddress("127.0.0.1", redisFloorPort).usePlaintext()
          .directExecutor().build();
      ManagedChannel oneLoopFloorChannel = NettyChannelBuilder.forAddress("127.0.0.1", oneLoopFloorPort).usePlaintext()
          .directExecutor().build();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
          .directExecutor().build();
      ManagedChannel nearChannel = NettyChannelBuilder.forAddress("127.0.0.1", nearPort).usePlaintext()
          .directExecutor().build();
      ManagedChannel plainChannel = NettyChannelBuilder.forAddress("127.0.0.1", plainPort).usePlaintext()
          .directExecutor().build();
      RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + redisPort);
      StatefulRedisConnection<String, String> redisConnection = redisClient.connect();
      closeLater.add(redisClient::shutdown);
      SidecarServiceGrpc.SidecarServiceStub sidecar = SidecarServiceGrpc.newStub(channel);
      HealthGrpc.HealthStub health = HealthGrpc.newStub(channel);
      // A sidecar with real-time updates clears its cache when the connection is acknowledged: wait
      // for that, so the clear cannot land inside a measurement. (Redis-mode sidecars have it off.)
      for (int httpPort : sidecarHttpPorts) {
        Processes.awaitBody(URI.create("http://127.0.0.1:" + httpPort + "/readyz"), "real-time connected or disabled",
            body -> body.contains("\"realtime\":\"connected\"") || body.contains("\"realtime\":\"disabled\""));
      }

      Map<String, Scenario> hits = new LinkedHashMap<>();
      Empty empty = Empty.getDefaultInstance();
      ProcessCpu floorCpu = ProcessCpu.of(floorProcess.pid());
      ProcessCpu sidecarCpu = ProcessCpu.of(memorySidecar.pid());
      hits.put(FLOOR, new Scenario((done, failed) -> ClientCalls.asyncUnaryCall(
          floorChannel.newCall(FloorServer.EMPTY, CallOptions.DEFAULT), empty, ClosedLoop.observer(done, failed)), floorCpu));
      hits.put("health check on the sidecar's server", new Scenario((done, failed) -> health.check(
          HealthCheckRequest.getDefaultInstance(), ClosedLoop.observer(done, failed)), sidecarCpu));
      GetBooleanEntitlementRequest bool = GetBooleanEntitlementRequest.newBuilder().setCustomerId("acme")
          .setFeatureId("feature-sso").build();
      hits.put("GetBooleanEntitlement hit", new Scenario((done, failed) -> sidecar.getBooleanEntitlement(bool,
          ClosedLoop.observer(done, failed)), sidecarCpu));
      GetMeteredEntitlementRequest metered = GetMeteredEntitlementRequest.newBuilder().setCustomerId("acme")
          .setFeatureId("feature-api-calls").setOptions(MeteredEntitlementOptions.newBuilder().setRequestedUsage(1))
          .build();
      hits.put("GetMeteredEntitlement hit", new Scenario((done, failed) -> sidecar.getMeteredEntitlement(metered,
          ClosedLoop.observer(done, failed)), sidecarCpu));
      SidecarServiceGrpc.SidecarServiceStub near = SidecarServiceGrpc.newStub(nearChannel);
      SidecarServiceGrpc.SidecarServiceStub plain = SidecarServiceGrpc.newStub(plainChannel);
      for (SidecarServiceGrpc.SidecarServiceStub redisSidecar : List.of(near, plain)) {
        for (int i = 0; i < 3; i++) {
          CountDownLatch warm = new CountDownLatch(1);
          redisSidecar.getBooleanEntitlement(bool, ClosedLoop.observer(warm::countDown, error -> warm.countDown()));
          warm.await(10, TimeUnit.SECONDS);
        }
      }
      // The Redis rows' CPU is the sidecar's plus Redis's: both serve the check.
      hits.put("Boolean hit, Redis + near cache", new Scenario((done, failed) -> near.getBooleanEntitlement(bool,
          ClosedLoop.observer(done, failed)), ProcessCpu.of(redisSidecars.get(true), redisPid)));
      hits.put(REDIS_NO_NEAR, new Scenario((done, failed) -> plain.getBooleanEntitlement(bool,
          ClosedLoop.observer(done, failed)), ProcessCpu.of(redisSidecars.get(false), redisPid)));
      hits.put(REDIS_ANSWER_FLOOR, new Scenario((done, failed) -> ClientCalls.asyncUnaryCall(
          redisFloorChannel.newCall(FloorServer.EMPTY, CallOptions.DEFAULT), empty, ClosedLoop.observer(done, failed)),
          ProcessCpu.of(redisFloorProcess.pid(), redisPid)));
      hits.put(REDIS_ONE_LOOP_FLOOR, new Scenario((done, failed) -> ClientCalls.asyncUnaryCall(
          oneLoopFloorChannel.newCall(FloorServer.EMPTY, CallOptions.DEFAULT), empty,
          ClosedLoop.observer(done, failed)),
          ProcessCpu.of(oneLoopFloorProcess.pid(), redisPid)));
      RedisAsyncCommands<String, String> raw = redisConnection.async();
      hits.put(REDIS_FLOOR, new Scenario((done, failed) -> raw.get("bench:c_acme").whenComplete((value, error) -> {
        if (error == null) {
          done.run();
        } else {
          failed.accept(error);
        }
      }), redisCpu));
      AtomicLong missCounter = new AtomicLong();
      ClosedLoop.Call miss = (done, failed) -> sidecar.getBooleanEntitlement(GetBooleanEntitlementRequest.newBuilder()
          .setCustomerId("miss-" + missCounter.incrementAndGet()).setFeatureId("feature-sso").build(),
          ClosedLoop.observer(done, failed));

      System.out.println("warming up");
      // Warm every path at a low and a high concurrency until its server's JIT compilers are done
      // with it, so that no server is measured while its compiler takes a core from the calls.
      Map<String, Duration> warmedFor = new LinkedHashMap<>();
      for (int warmLevel : List.of(1, 32)) {
        for (Map.Entry<String, Scenario> scenario : hits.entrySet()) {
          Duration took = warmUntilCompiled(scenario.getValue(), warmLevel);
          warmedFor.merge(scenario.getKey(), took, Duration::plus);
        }
      }
      if (profile.isEmpty()) {
        ClosedLoop.run(miss, 8, Duration.ofSeconds(1), Duration.ofSeconds(1), sidecarCpu);
      }
      Map<String, Double> jitInWindows = new LinkedHashMap<>();
      for (int level : levels) {
        Map<String, List<ClosedLoop.Result>> results = new LinkedHashMap<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
          for (Map.Entry<String, Scenario> scenario : hits.entrySet()) {
            ClosedLoop.Result result = ClosedLoop.run(scenario.getValue().call(), level, Duration.ofMillis(500), seconds,
                scenario.getValue().server());
            results.computeIfAbsent(scenario.getKey(), ignored -> new ArrayList<>()).add(result);
          }
        }
        if (profile.isEmpty()) {
          results.put("miss (fetch from the emulator)", List.of(ClosedLoop.run(miss, level, Duration.ofMillis(500),
              seconds, sidecarCpu)));
        }
        results.forEach((name, list) -> {
          ClosedLoop.Result median = list.stream().sorted(Comparator.comparingDouble(ClosedLoop.Result::throughput))
              .toList().get(list.size() / 2);
          rows.add(new Report.Row(name, level, median.throughput(), median.percentileMicros(50),
              median.percentileMicros(99), median.percentileMicros(99.9), median.errors(),
              median.serverCpuMicrosPerCall(), median.serverKernelMicrosPerCall(), median.serverRunsPerCall()));
          list.stream().mapToDouble(ClosedLoop.Result::serverJitMillis).filter(ms -> !Double.isNaN(ms)).max()
              .ifPresent(ms -> jitInWindows.merge(name, ms, Math::max));
          System.out.printf("%-36s in flight %4d: %,10.0f rps  p50 %6.0f µs  p99 %6.0f µs  server CPU %5.1f µs/call%n",
              name, level, median.throughput(), median.percentileMicros(50), median.percentileMicros(99),
              median.serverCpuMicrosPerCall());
        });
      }

      notes.add(warmUp(warmedFor, jitInWindows));
      if (profile.isEmpty()) {
        notes.add(againstRedisAnswerFloor(rows, REDIS_ANSWER_FLOOR, "grpc-java and Lettuce on their own event loops"));
        notes.add(againstRedisAnswerFloor(rows, REDIS_ONE_LOOP_FLOOR, "grpc-java and Lettuce on one event loop, as the "
            + "sidecar runs them"));
        missOverhead = Optional.of(missOverhead(admin, api, levels, seconds, miss, sidecarCpu));
        notes.add(coalescing(sidecar, admin));
        if (!scaleSizes.isEmpty()) {
          scale = Optional.of(scaleTable(processes, root, out, apiPort, seconds, scaleSizes));
        }
      }
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      floorChannel.shutdownNow();
      redisFloorChannel.shutdownNow();
      oneLoopFloorChannel.shutdownNow();
      nearChannel.shutdownNow();
      plainChannel.shutdownNow();
      redisConnection.close();
    } finally {
      for (AutoCloseable resource : closeLater) {
        try {
          resource.close();
        } catch (Exception e) {
          System.err.println("cleanup: " + e);
        }
      }
    }
    if (profile.isPresent()) {
      Path summary = out.resolve("hit-path-profile.md");
      Report.write(summary, "# Where the in-memory sidecar spends a cache hit\n\nJFR (`settings=profile`) of the "
          + "sidecar while the hit scenarios ran (levels " + levels + ", " + repeats + " repeats of "
          + seconds.toSeconds() + " s; the floor and Redis rows ran on other processes). The kernel's part of "
          + "each call, which JFR does not sample, is the \"of which in the kernel\" column of `results.md`.\n\n"
          + ProfileSummary.summarize(profile.get(), 25));
      System.out.println("wrote " + summary + " from " + profile.get());
      return;
    }
    notes.add(heapFootprint(root));
    notes.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + System.getProperty("os.name")
        + " " + System.getProperty("os.arch") + "), " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "); every server a JVM of "
        + "its own with default flags" + (options.containsKey("sidecar-jvm") ? " (sidecars: " + options.get("sidecar-jvm")
        + ")" : "") + ", the load generator a third; client and servers share the cores; one gRPC connection per "
        + "server; " + repeats + " interleaved repeats of " + seconds.toSeconds() + " s per hit scenario, median "
        + "reported; run at " + LocalDateTime.now().withNano(0) + ".");
    String table = Report.markdown(rows, FLOOR, REDIS_FLOOR, notes) + missOverhead.map(section -> "\n" + section)
        .orElse("") + scale.map(section -> "\n" + section).orElse("");
    Report.write(out.resolve("results.md"), "# Benchmark results\n\n" + table);
    Report.chart(rows, out.resolve("results.png"));
    System.out.println();
    System.out.println(table);
    System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("results.png"));
    containerFigures(root, options);
  }

  /**
   * The figures of the images (size, start, working set idle and under load) come from {@code
   * images/measure.sh}, which needs podman and the images {@code images/build.sh} made. It runs
   * last, once every process above has stopped, when podman is there; {@code --images none} skips it.
   */
  private static void containerFigures(Path root, Map<String, String> options) throws IOException, InterruptedException {
    if ("none".equals(options.get("images"))) {
      return;
    }
    boolean podman = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "podman")));
    if (!podman) {
      System.out.println("container figures skipped: images/measure.sh needs podman (and images/build.sh's images)");
      return;
    }
    System.out.println("container figures: images/measure.sh (writes benchmarks/results/images.md)");
    int exit = new ProcessBuilder("bash", root.resolve("images/measure.sh").toString(), options.getOrDefault("image-runs", "5"))
        .directory(root.toFile()).inheritIO().start().waitFor();
    if (exit != 0) {
      System.out.println("container figures: images/measure.sh exited " + exit + "; are the images built (images/build.sh)?");
    }
  }

  /**
   * Runs a scenario in one-second windows until its server's JIT compiler threads used under 2% of
   * a window (or for at most {@link #WARM_UP_LIMIT}). On two shared cores a compiler still at work
   * takes a core from the calls being measured, and the sidecar has more code to compile than a
   * floor, so a fixed warm-up favoured the floors.
   *
   * @return how long it ran
   */
  private static Duration warmUntilCompiled(Scenario scenario, int level) throws InterruptedException {
    long started = System.nanoTime();
    Duration window = Duration.ofSeconds(1);
    double jitMillis;
    do {
      jitMillis = ClosedLoop.run(scenario.call(), level, Duration.ofMillis(200), window, scenario.server())
          .serverJitMillis();
    } while (jitMillis > 0.02 * window.toMillis() && System.nanoTime() - started < WARM_UP_LIMIT.toNanos());
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static String warmUp(Map<String, Duration> warmedFor, Map<String, Double> jitInWindows) {
    List<String> parts = new ArrayList<>();
    warmedFor.forEach((name, took) -> parts.add(String.format("%s %.1f s (JIT at most %.0f ms in a measured window)",
        name, took.toMillis() / 1e3, jitInWindows.getOrDefault(name, Double.NaN))));
    return "Warm-up, at 1 and then 32 in flight, until the server's JIT compilers used under 2% of a one-second "
        + "window (at most " + WARM_UP_LIMIT.toSeconds() + " s per level): " + String.join("; ", parts) + ".";
  }

  /**
   * Redis mode without the near cache against a floor of any gRPC service answering from Redis
   * with grpc-java and Lettuce: what is left between the two is the sidecar's; what lies between
   * that floor and the bare server's is the Redis round trip and, on separate loops, the crossings
   * between the two libraries' threads.
   */
  private static String againstRedisAnswerFloor(List<Report.Row> rows, String floorScenario, String floorIs) {
    Map<Integer, Report.Row> floors = new LinkedHashMap<>();
    rows.stream().filter(row -> row.scenario().equals(floorScenario))
        .forEach(row -> floors.put(row.concurrency(), row));
    List<String> levels = new ArrayList<>();
    rows.stream().filter(row -> row.scenario().equals(REDIS_NO_NEAR) && floors.containsKey(row.concurrency()))
        .forEach(row -> {
          Report.Row floor = floors.get(row.concurrency());
          levels.add(String.format("%d in flight: throughput %.2f×, p99 %.2f×, CPU %.2f×", row.concurrency(),
              row.throughput() / floor.throughput(), row.p99() / floor.p99(),
              row.serverCpuMicros() / floor.serverCpuMicros()));
        });
    return "Redis without the near cache against \"" + floorScenario + "\" (" + floorIs + ", no sidecar code; both "
        + "rows' CPU includes Redis's): " + String.join("; ", levels) + ".";
  }

  /** {@code scale [--scale 10000,100000,1000000] [--seconds 3]}: only the growth table, to {@code results/scale.md}. */
  private static void scaleOnly(Map<String, String> options) throws Exception {
    LogSetup.configure("warn", List.of());
    Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
    Path root = Path.of(options.getOrDefault("root", "."));
    Duration seconds = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "3")));
    try (Processes processes = new Processes(out.resolve("logs"))) {
      int apiPort = Processes.freePort();
      startEmulator(processes, root, apiPort);
      System.out.println(scaleTable(processes, root, out, apiPort, seconds, scaleSizes(options)));
    }
  }

  /** {@code --scale}: the cached entitlement counts of the growth table; {@code none} skips it. */
  private static List<Integer> scaleSizes(Map<String, String> options) {
    String sizes = options.getOrDefault("scale", "10000,100000,1000000");
    return sizes.equals("none") ? List.of() : Arrays.stream(sizes.split(",")).map(Integer::parseInt).toList();
  }

  /** The growth table ({@link ScaleRun}), also written to {@code results/scale.md}. */
  private static String scaleTable(Processes processes, Path root, Path out, int apiPort, Duration seconds,
      List<Integer> sizes) throws Exception {
    String section = new ScaleRun(processes, root, out.resolve("logs"), apiPort, KEY, seconds).run(sizes);
    Report.write(out.resolve("scale.md"), "# Benchmark results: cost as the cache grows\n\n" + section);
    return section;
  }

  private static void startEmulator(Processes processes, Path root, int apiPort) throws Exception {
    processes.start("emulator", root.resolve("emulator/target/stigg-emulator.jar"), List.of(),
        List.of("--port", String.valueOf(apiPort), "--api-key", KEY, "--log-level", "warn"), Map.of(),
        "Stigg emulator is ready");
  }

  /** A measured call and the processes whose CPU answers it. */
  private record Scenario(ClosedLoop.Call call, ProcessCpu server) {}

  /** The environment of a benchmarked sidecar: the emulator as Stigg, quiet logs. */
  private static Map<String, String> sidecarEnv(int apiPort, int grpcPort, int httpPort) {
    String api = "http://127.0.0.1:" + apiPort;
    return new HashMap<>(Map.of("SERVER_API_KEY", KEY, "API_URL", api, "EDGE_API_URL", api,
        "WS_URL", "ws://127.0.0.1:" + apiPort, "PORT", String.valueOf(grpcPort),
        "HTTP_PORT", String.valueOf(httpPort), "LOG_LEVEL", "warn"));
  }

  /**
   * What a miss adds to Stigg's own latency: with the emulator answering 100 ms late (about how far
   * Stigg is), every call a customer never seen, measured through the sidecar and, as the baseline,
   * as the same Edge request sent straight to the emulator by the load generator over a pooled
   * {@code java.net.http} client, at the same concurrency.
   */
  private static String missOverhead(AdminClient admin, String api, List<Integer> levels, Duration seconds,
      ClosedLoop.Call miss, ProcessCpu sidecarCpu) throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    AtomicLong direct = new AtomicLong();
    ClosedLoop.Call straight = (done, failed) -> http.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create(api
            + "/v1/c/direct-" + direct.incrementAndGet() + "/entitlements.json"))
        .header("x-api-key", KEY).header("x-api-version", "1").header("accept", "application/json").GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
          if (error == null && response.statusCode() == 200) {
            done.run();
          } else {
            failed.accept(error != null ? error : new IllegalStateException("HTTP " + response.statusCode()));
          }
        });
    ProcessCpu none = ProcessCpu.of();
    admin.setFaults("{\"latencyMs\":100}");
    StringBuilder table = new StringBuilder("## Miss overhead, Stigg 100 ms away\n\n"
        + "Every call is for a customer never seen; the emulator answers each request 100 ms late. Baseline: the "
        + "same Edge request sent straight to the emulator (pooled HTTP/1.1 client in the load generator). "
        + "Overhead = through the sidecar − straight, at the same percentile.\n\n"
        + "| in flight | straight p50 ms | sidecar p50 ms | overhead p50 ms | straight p99 ms | sidecar p99 ms "
        + "| overhead p99 ms | sidecar misses/s | sidecar CPU µs/miss | errors |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    try {
      ClosedLoop.run(straight, 8, Duration.ofSeconds(1), Duration.ofSeconds(1), none);
      ClosedLoop.run(miss, 8, Duration.ofSeconds(1), Duration.ofSeconds(1), none);
      for (int level : levels) {
        ClosedLoop.Result base = ClosedLoop.run(straight, level, Duration.ofMillis(500), seconds, none);
        ClosedLoop.Result through = ClosedLoop.run(miss, level, Duration.ofMillis(500), seconds, sidecarCpu);
        table.append(String.format("| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %,.0f | %.0f | %d |%n", level,
            base.percentileMicros(50) / 1000, through.percentileMicros(50) / 1000,
            (through.percentileMicros(50) - base.percentileMicros(50)) / 1000, base.percentileMicros(99) / 1000,
            through.percentileMicros(99) / 1000, (through.percentileMicros(99) - base.percentileMicros(99)) / 1000,
            through.throughput(), through.serverCpuMicrosPerCall(), base.errors() + through.errors()));
        System.out.printf("miss overhead, in flight %4d: straight p50 %.2f ms, through the sidecar p50 %.2f ms%n", level,
            base.percentileMicros(50) / 1000, through.percentileMicros(50) / 1000);
      }
    } finally {
      admin.clearFaults();
    }
    return table.toString();
  }

  /** 1,000 concurrent checks of a customer nobody has asked about, while Stigg answers slowly. */
  private static String coalescing(SidecarServiceGrpc.SidecarServiceStub sidecar, AdminClient admin)
      throws InterruptedException {
    admin.setFaults("{\"latencyMs\":300}");
    CountDownLatch answered = new CountDownLatch(1_000);
    AtomicLong errors = new AtomicLong();
    for (int i = 0; i < 1_000; i++) {
      sidecar.getBooleanEntitlement(GetBooleanEntitlementRequest.newBuilder().setCustomerId("coalesce-me")
          .setFeatureId("feature-sso").build(), ClosedLoop.observer(answered::countDown, error -> {
            errors.incrementAndGet();
            answered.countDown();
          }));
    }
    boolean all = answered.await(30, TimeUnit.SECONDS);
    admin.clearFaults();
    long fetches = admin.stats().path("entitlementFetches").path("coalesce-me").asLong();
    return String.format("Coalescing: 1,000 concurrent misses for one customer (emulator answering in 300 ms) "
        + "caused %d upstream fetch%s; %s answered, %d errors.", fetches, fetches == 1 ? "" : "es",
        all ? "all" : "not all", errors.get());
  }

  private static String heapFootprint(Path root) throws Exception {
    return "Heap: per cached entitlement after GC: " + heapPerEntitlement(root, "shared")
        + " with the usage windows that customers share (every subscription resets on the same dates), "
        + heapPerEntitlement(root, "own") + " with each customer's window its own (anchored at its subscription's start)"
        + " (100,000 customers × 10 entitlements: 4 boolean, 3 numeric, 2 metered, 1 enum).";
  }

  private static String heapPerEntitlement(Path root, String windows) throws Exception {
    Process process = new ProcessBuilder("java", "-Xmx2g", "-cp", root.resolve("benchmarks/target/stigg-benchmarks.jar")
        .toString(), HeapFootprint.class.getName(), "100000", windows).redirectErrorStream(true).start();
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      line = out.lines().filter(text -> text.startsWith("heap-per-entitlement")).findFirst().orElse("(no result)");
    }
    process.waitFor(120, TimeUnit.SECONDS);
    return line.replace("heap-per-entitlement ", "");
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
