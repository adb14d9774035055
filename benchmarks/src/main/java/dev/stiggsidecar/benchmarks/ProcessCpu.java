package dev.stiggsidecar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time the kernel has charged to a set of processes, in nanoseconds, how many times their
 * threads were put on a CPU, and how that time splits between user and kernel mode: the sums over
 * their threads of the first and third fields of {@code /proc/<pid>/task/<tid>/schedstat} and of
 * {@code utime} and {@code stime} in {@code stat}, leaving out the JIT compiler threads: a JVM
 * compiling late code paths in a measurement window would otherwise be charged to the calls of
 * that window.
 *
 * <p>Why: on a machine where load generator and servers share the cores, throughput ratios flatten
 * once the load generator saturates (every server then looks as fast as the client lets it). The
 * server's CPU per answered call does not depend on the client, so it shows what a hit costs the
 * sidecar against what an empty call costs a bare server.
 */
final class ProcessCpu {

  private final List<Long> pids;

  /**
   * @param cpuNanos time on a CPU, the JIT compiler threads left out
   * @param runs times a thread was put on a CPU: for a server thread that sleeps between calls,
   *     one per wake-up, so runs per call count the hand-offs between threads a call costs
   * @param jitNanos time on a CPU of the JIT compiler threads: while it grows, the server is still
   *     compiling, and its compiler competes for the cores with the calls being measured
   * @param userTicks the same threads as {@code cpuNanos}, time in user mode, in clock ticks
   *     ({@code utime} of {@code /proc/<pid>/task/<tid>/stat})
   * @param kernelTicks the same in kernel mode ({@code stime}): system calls (the sockets' reads,
   *     writes and epoll waits) and what the kernel does on their behalf. Ticks are coarse (10 ms),
   *     so only their ratio over a window of seconds is used
   */
  record Sample(long cpuNanos, long runs, long jitNanos, long userTicks, long kernelTicks) {

    /** Of the CPU time between {@code before} and this sample, the share spent in the kernel. */
    double kernelShareSince(Sample before) {
      long user = userTicks - before.userTicks;
      long kernel = kernelTicks - before.kernelTicks;
      return user + kernel == 0 ? Double.NaN : kernel / (double) (user + kernel);
    }
  }

  private ProcessCpu(List<Long> pids) {
    this.pids = pids;
  }

  static ProcessCpu of(Long... pids) {
    return new ProcessCpu(List.of(pids));
  }

  /** The newest child of this JVM whose executable's path contains {@code name}, if any. */
  static java.util.Optional<Long> child(String name) {
    try (Stream<ProcessHandle> children = ProcessHandle.current().children()) {
      return children.filter(handle -> handle.info().command().orElse("").contains(name))
          .max(java.util.Comparator.comparing(handle -> handle.info().startInstant().orElse(java.time.Instant.MIN)))
          .map(ProcessHandle::pid);
    }
  }

  /** Empty when a process is gone. */
  java.util.Optional<Sample> sample() {
    long cpu = 0;
    long runs = 0;
    long jit = 0;
    long user = 0;
    long kernel = 0;
    for (long pid : pids) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          try {
            String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ");
            if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
              jit += Long.parseLong(fields[0]);
              continue;
            }
            cpu += Long.parseLong(fields[0]);
            runs += Long.parseLong(fields[2]);
            // After the command name, which may hold spaces and parentheses: state is the first
            // field, utime the twelfth and stime the thirteenth.
            String stat = Files.readString(task.resolve("stat"));
            String[] times = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            user += Long.parseLong(times[11]);
            kernel += Long.parseLong(times[12]);
          } catch (IOException | RuntimeException threadGone) {
            // a thread that ended between the listing and the read has no time to add
          }
        }
      } catch (IOException processGone) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(new Sample(cpu, runs, jit, user, kernel));
  }
}
