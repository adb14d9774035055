package dev.stiggsidecar.benchmarks.faults;

import java.time.Duration;
import java.util.List;

/**
 * One fault of the matrix: how to break a part of the rig, and how to mend it. Combined faults
 * break their parts in order and mend them in reverse.
 */
record Fault(String name, Rig.Setup setup, Step inject, Step heal) {

  @FunctionalInterface
  interface Step {
    void run(Rig rig) throws Exception;
  }

  private static final Step NOTHING = rig -> { };

  Fault and(Fault other) {
    if (other.setup != setup && other.setup != Rig.Setup.MEMORY) {
      throw new IllegalArgumentException(name + " and " + other.name + " need different setups");
    }
    return new Fault(name + " + " + other.name, setup, rig -> {
      inject.run(rig);
      other.inject.run(rig);
    }, rig -> {
      other.heal.run(rig);
      heal.run(rig);
    });
  }

  static Fault none() {
    return new Fault("no fault (baseline)", Rig.Setup.MEMORY, NOTHING, NOTHING);
  }

  static Fault stigg(String name, String faultJson) {
    return new Fault(name, Rig.Setup.MEMORY, rig -> rig.stiggFaults(faultJson), Rig::clearStiggFaults);
  }

  /** Every fault, alone and then combined, for a fault lasting {@code duration}. */
  static List<Fault> matrix(Duration duration) {
    long beyondTimeout = FaultMatrix.UPSTREAM_TIMEOUT.toMillis() + 1_000;
    Fault stiggDown = stigg("Stigg down", "{\"down\":true}");
    Fault bursts = stigg("Stigg HTTP 500 for half the calls", "{\"errorRate\":0.5,\"errorStatus\":500}");
    Fault websocketRefused = stigg("websocket dropped and refused", "{\"dropWebsockets\":true}");
    Fault stiggTooSlow = stigg("Stigg slow, " + beyondTimeout + " ms (beyond the timeout)",
        "{\"latencyMs\":" + beyondTimeout + "}");
    Fault redisKilled = new Fault("Redis killed and restarted", Rig.Setup.REDIS, Rig::killRedis, Rig::restartRedis);
    Fault redisPaused = new Fault("Redis paused (CLIENT PAUSE)", Rig.Setup.REDIS, rig -> rig.pauseRedis(duration),
        rig -> Thread.sleep(100));
    return List.of(
        none(),
        stiggDown,
        stigg("Stigg slow, 2000 ms (within the timeout)", "{\"latencyMs\":2000}"),
        stiggTooSlow,
        bursts,
        stigg("Invalid API key mid-run", "{\"rejectKey\":true}"),
        new Fault("websocket dropped once", Rig.Setup.MEMORY, rig -> {
          rig.stiggFaults("{\"dropWebsockets\":true}");
          Thread.sleep(100);
          rig.clearStiggFaults();
        }, NOTHING),
        websocketRefused,
        new Fault("working set 10x the cache bound", Rig.Setup.MEMORY_SMALL_CACHE, NOTHING, NOTHING),
        new Fault("sidecar SIGTERM under load, then replaced", Rig.Setup.TWO_PROCESSES, rig -> {
          int exit = rig.terminateSecondSidecar();
          if (exit != 0 && exit != 143) {
            throw new IllegalStateException("the sidecar exited with " + exit + " after SIGTERM");
          }
        }, Rig::replaceSecondSidecar),
        redisKilled,
        new Fault("Redis read-only", Rig.Setup.REDIS, Rig::redisReadOnly, Rig::redisWritable),
        redisPaused,
        new Fault("near-cache tracking connections cut every 200 ms", Rig.Setup.REDIS,
            Rig::cutRedisConnectionsRepeatedly, Rig::stopRepeatingFault),
        new Fault("persistent cache stopped and restarted", Rig.Setup.REDIS, Rig::stopPersistentCache,
            Rig::restartPersistentCache),
        websocketRefused.and(bursts),
        redisKilled.and(stiggDown),
        redisPaused.and(stiggTooSlow));
  }
}
