package dev.stiggsidecar.benchmarks.faults;

import dev.stiggsidecar.emulator.AdminClient;
import dev.stiggsidecar.emulator.EmulatorSettings;
import dev.stiggsidecar.emulator.StiggEmulator;
import dev.stiggsidecar.persistentcache.PersistentCacheConfig;
import dev.stiggsidecar.persistentcache.PersistentCacheRuntime;
import dev.stiggsidecar.redistest.RedisProcess;
import dev.stiggsidecar.sidecar.SidecarRuntime;
import dev.stiggsidecar.sidecar.config.ConfigLoader;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a scenario runs against, started fresh for each: the emulator with the matrix's customers,
 * and either one in-memory sidecar, two sidecars as processes behind one balanced channel, or two
 * Redis-mode sidecars sharing a Redis that a persistent cache keeps fresh. It also knows how to
 * break each part and mend it.
 */
final class Rig implements AutoCloseable {

  /** How the sidecars are deployed. */
  enum Setup {
    /** One sidecar, in-memory cache, real-time updates on. */
    MEMORY,
    /** The same with a cache bound a tenth of the working set. */
    MEMORY_SMALL_CACHE,
    /** Two sidecar processes (standalone replicas) behind one round-robin channel. */
    TWO_PROCESSES,
    /** Two Redis-mode sidecars (near cache on), a shared Redis and the persistent cache. */
    REDIS
  }

  static final String KEY = "fault-matrix-key";
  static final String PREFIX = "matrix";
  /** The working-set scenario's cache bound; it holds about a tenth of its customers. */
  static final long SMALL_CACHE_BYTES = 40_000;

  private final Setup setup;
  private final FaultMatrix.Settings settings;
  private final StiggEmulator emulator;
  private final AdminClient admin;
  private final List<String> customers;
  private final List<AutoCloseable> closeLater = new ArrayList<>();
  private final List<SidecarRuntime> sidecars = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Map<String, String>> processEnvironments = new ArrayList<>();
  private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "rig-faults");
    thread.setDaemon(true);
    return thread;
  });
  private Optional<RedisProcess> redis = Optional.empty();
  private Optional<RedisClient> redisClient = Optional.empty();
  private Optional<StatefulRedisConnection<String, String>> redisConnection = Optional.empty();
  private Optional<PersistentCacheRuntime> persistentCache = Optional.empty();
  private Optional<ScheduledFuture<?>> repeatingFault = Optional.empty();
  private int probeSeats = 1;
  private ManagedChannel loadChannel;
  private ManagedChannel probeChannel;

  private Rig(Setup setup, FaultMatrix.Settings settings) throws Exception {
    this.setup = setup;
    this.settings = settings;
    this.emulator = StiggEmulator.start(EmulatorSettings.forTests(KEY));
    closeLater.add(emulator);
    this.admin = new AdminClient(emulator.baseUri());
    int count = setup == Setup.MEMORY_SMALL_CACHE ? 400 : 40;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("fm-" + i);
      admin.putEntitlements("fm-" + i, null, entitlements(10 + i % 7));
    }
    this.customers = List.copyOf(names);
    admin.putEntitlements(FaultMatrix.PROBE, null, entitlements(probeSeats));
  }

  static Rig start(Setup setup, FaultMatrix.Settings settings) throws Exception {
    Rig rig = new Rig(setup, settings);
    try {
      rig.startSidecars();
      return rig;
    } catch (Exception e) {
      rig.close();
      throw e;
    }
  }

  private void startSidecars() throws Exception {
    switch (setup) {
      case MEMORY -> sidecars.add(inProcess(Map.of()));
      case MEMORY_SMALL_CACHE -> sidecars.add(inProcess(Map.of("CACHE_MAX_SIZE_BYTES", Long.toString(SMALL_CACHE_BYTES))));
      case TWO_PROCESSES -> {
        for (int i = 0; i < 2; i++) {
          Map<String, String> env = sidecarEnvironment(Map.of("PORT", Integer.toString(freePort()),
              "HTTP_PORT", Integer.toString(freePort()), "LOG_LEVEL", "warn"));
          processEnvironments.add(env);
          processes.add(startProcess(i, env));
        }
      }
      case REDIS -> {
        RedisProcess started = RedisProcess.start();
        redis = Optional.of(started);
        closeLater.add(started);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + started.port());
        redisClient = Optional.of(client);
        redisConnection = Optional.of(client.connect());
        startPersistentCache();
        Map<String, String> redisEnv = Map.of("REDIS_ENVIRONMENT_PREFIX", PREFIX, "REDIS_HOST", "127.0.0.1",
            "REDIS_PORT", Integer.toString(started.port()));
        sidecars.add(inProcess(redisEnv));
        sidecars.add(inProcess(redisEnv));
      }
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    sidecars.forEach(sidecar -> addresses.add(new InetSocketAddress("127.0.0.1", sidecar.grpcPort())));
    processEnvironments.forEach(env -> addresses.add(new InetSocketAddress("127.0.0.1", Integer.parseInt(env.get("PORT")))));
    loadChannel = NettyChannelBuilder.forTarget(FixedAddresses.SCHEME + ":///sidecars")
        .nameResolverFactory(new FixedAddresses(addresses)).defaultLoadBalancingPolicy("round_robin")
        .usePlaintext().build();
    probeChannel = NettyChannelBuilder.forAddress(addresses.get(0)).usePlaintext().build();
  }

  private SidecarRuntime inProcess(Map<String, String> overrides) throws Exception {
    Map<String, String> env = sidecarEnvironment(overrides);
    env.put("PORT", "0");
    env.put("HTTP_PORT", "0");
    SidecarRuntime runtime = SidecarRuntime.start(ConfigLoader.load(env, Runtime.getRuntime().maxMemory()));
    closeLater.add(runtime);
    return runtime;
  }

  private Map<String, String> sidecarEnvironment(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of("SERVER_API_KEY", KEY, "API_URL", emulator.baseUri().toString(),
        "EDGE_API_URL", emulator.baseUri().toString(), "WS_URL", emulator.websocketUri().toString(),
        "HTTP_BIND_ADDRESS", "127.0.0.1", "UPSTREAM_TIMEOUT_MS", Long.toString(FaultMatrix.UPSTREAM_TIMEOUT.toMillis()),
        "CACHE_MAX_STALENESS_SECS", Long.toString(FaultMatrix.MAX_STALENESS.toSeconds()), "SHUTDOWN_GRACE_SECS", "5",
        "CACHE_REVALIDATION_RATE", Integer.toString(FaultMatrix.REVALIDATION_RATE)));
    env.putAll(overrides);
    return env;
  }

  private Process startProcess(int index, Map<String, String> env) throws IOException, InterruptedException {
    // A file per process: scenarios may run side by side, and a restarted sidecar must not find
    // its predecessor's "ready" line.
    Path log = Files.createTempFile(Files.createDirectories(settings.logs()), "sidecar-" + index + "-", ".log");
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", settings.sidecarJar().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    closeLater.add(process::destroyForcibly);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("Sidecar is ready")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("sidecar " + index + " did not start; see " + log);
      }
      Thread.sleep(20);
    }
    return process;
  }

  private void startPersistentCache() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("SERVER_API_KEY", KEY, "API_URL", emulator.baseUri().toString(),
        "WS_URL", emulator.websocketUri().toString(), "HTTP_PORT", "0", "HTTP_BIND_ADDRESS", "127.0.0.1",
        "REDIS_ENVIRONMENT_PREFIX", PREFIX, "REDIS_HOST", "127.0.0.1",
        "REDIS_PORT", Integer.toString(redis.orElseThrow().port())));
    PersistentCacheRuntime runtime = PersistentCacheRuntime.start(PersistentCacheConfig.load(env));
    persistentCache = Optional.of(runtime);
    awaitTrue("the persistent cache is ready", runtime::isReady);
  }

  /** Every customer checked once, and every sidecar's real-time stream (if any) connected. */
  void warm() throws Exception {
    for (SidecarRuntime sidecar : sidecars) {
      awaitTrue("real-time connected or off", () -> !sidecar.readiness().toJson().path("realtime").asText()
          .equals("connecting") && !sidecar.readiness().toJson().path("realtime").asText().equals("disconnected"));
    }
    for (int httpPort : processHttpPorts()) {
      awaitTrue("real-time connected", () -> get(httpPort, "/readyz").contains("\"realtime\":\"connected\""));
    }
    SidecarServiceGrpc.SidecarServiceBlockingStub stub = SidecarServiceGrpc.newBlockingStub(loadChannel);
    for (int round = 0; round < Math.max(1, sidecars.size() + processes.size()); round++) {
      for (String customer : customers) {
        seats(stub, customer);
      }
    }
    seats(SidecarServiceGrpc.newBlockingStub(probeChannel), FaultMatrix.PROBE);
  }

  private List<Integer> processHttpPorts() {
    return processEnvironments.stream().map(env -> Integer.parseInt(env.get("HTTP_PORT"))).toList();
  }

  /** Changes the probe customer's seats in Stigg; returns the new value. */
  int changeProbe() {
    probeSeats++;
    admin.putEntitlements(FaultMatrix.PROBE, null, entitlements(probeSeats));
    return probeSeats;
  }

  /** The probe customer's seats, as the first sidecar answers now. */
  int probeSeats() {
    return seats(SidecarServiceGrpc.newBlockingStub(probeChannel), FaultMatrix.PROBE);
  }

  private static int seats(SidecarServiceGrpc.SidecarServiceBlockingStub stub, String customer) {
    return stub.withDeadlineAfter(SteadyLoad.DEADLINE_SECONDS, TimeUnit.SECONDS).getNumericEntitlement(
        GetNumericEntitlementRequest.newBuilder().setCustomerId(customer).setFeatureId(FaultMatrix.NUMERIC_FEATURE)
            .build()).getEntitlement().getValue();
  }

  // Faults, each with its mend.

  void stiggFaults(String json) {
    admin.setFaults(json);
  }

  void clearStiggFaults() {
    admin.clearFaults();
  }

  void killRedis() throws IOException {
    redis.orElseThrow().stop();
  }

  void restartRedis() throws IOException {
    redis.orElseThrow().restart();
  }

  /** A replica of a master that is not there: reads work, every write answers READONLY. */
  void redisReadOnly() throws IOException {
    redisCommands().replicaof("127.0.0.1", freePort());
  }

  void redisWritable() {
    redisCommands().replicaofNoOne();
  }

  /** Redis holds every client's commands (its own admin connection included) for {@code duration}. */
  void pauseRedis(Duration duration) {
    redisCommands().clientPause(duration.toMillis());
  }

  /**
   * Cuts every client connection to Redis every 200 ms (the sidecars' tracking connections among
   * them), so invalidations are lost while changes go on.
   */
  void cutRedisConnectionsRepeatedly() {
    repeatingFault = Optional.of(background.scheduleAtFixedRate(() -> {
      try {
        redisCommands().clientKill(KillArgs.Builder.typeNormal().skipme(true));
      } catch (RuntimeException e) {
        // Redis may be mid-reconnect of this very connection; the next round cuts again.
      }
    }, 0, 200, TimeUnit.MILLISECONDS));
  }

  void stopRepeatingFault() {
    repeatingFault.ifPresent(future -> future.cancel(false));
    repeatingFault = Optional.empty();
  }

  void stopPersistentCache() {
    persistentCache.orElseThrow().close();
    persistentCache = Optional.empty();
  }

  void restartPersistentCache() throws Exception {
    startPersistentCache();
  }

  /**
   * SIGTERM to the second sidecar process, as the kubelet sends; it must drain and exit 0.
   *
   * @return the exit code
   */
  int terminateSecondSidecar() throws InterruptedException {
    Process second = processes.get(1);
    second.destroy();
    if (!second.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the sidecar did not exit within 30 s of SIGTERM");
    }
    return second.exitValue();
  }

  /** Its replacement, on the same ports (as a new pod behind the same Service). */
  void replaceSecondSidecar() throws IOException, InterruptedException {
    processes.set(1, startProcess(1, processEnvironments.get(1)));
  }

  StiggEmulator emulator() {
    return emulator;
  }

  ManagedChannel loadChannel() {
    return loadChannel;
  }

  List<String> customers() {
    return customers;
  }

  /** Cached entries of the first in-process sidecar, from its {@code /readyz} body. */
  long cachedEntries() {
    return sidecars.get(0).readiness().toJson().path("cache").path("entries").asLong();
  }

  private RedisCommands<String, String> redisCommands() {
    StatefulRedisConnection<String, String> connection = redisConnection.orElseThrow();
    return connection.sync();
  }

  private static String entitlements(int seats) {
    return "[{\"feature\":{\"refId\":\"" + FaultMatrix.BOOLEAN_FEATURE + "\",\"featureType\":\"BOOLEAN\"}},"
        + "{\"feature\":{\"refId\":\"" + FaultMatrix.NUMERIC_FEATURE + "\",\"featureType\":\"NUMBER\","
        + "\"meterType\":\"None\"},\"usageLimit\":" + seats + "},"
        + "{\"feature\":{\"refId\":\"" + FaultMatrix.METERED_FEATURE + "\",\"featureType\":\"NUMBER\","
        + "\"meterType\":\"Incremental\"},\"usageLimit\":1000000000,\"resetPeriod\":\"MONTH\"}]";
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @FunctionalInterface
  interface Probe {
    boolean holds() throws Exception;
  }

  /** Polls until {@code probe} holds; an exception counts as not yet (the last one is reported). */
  private static void awaitTrue(String what, Probe probe) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Exception last = null;
    while (true) {
      try {
        if (probe.holds()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within 30 s: " + what, last);
      }
      Thread.sleep(20);
    }
  }

  /** A free port, never one this process handed out before (the OS may offer a closed one again). */
  static synchronized int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  @Override
  public void close() {
    stopRepeatingFault();
    background.shutdownNow();
    if (loadChannel != null) {
      loadChannel.shutdownNow();
      probeChannel.shutdownNow();
    }
    persistentCache.ifPresent(PersistentCacheRuntime::close);
    redisConnection.ifPresent(StatefulRedisConnection::close);
    redisClient.ifPresent(RedisClient::shutdown);
    for (int i = closeLater.size() - 1; i >= 0; i--) {
      try {
        closeLater.get(i).close();
      } catch (Exception e) {
        // Closing the rest matters more than one failure to close.
      }
    }
  }
}
