package dev.stiggsidecar.kubetest;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * What a test started (processes, servers, clients), stopped in the reverse order after it, every
 * one of them even when an earlier one fails to stop.
 */
public final class Running implements AutoCloseable {

  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  public <T extends AutoCloseable> T add(T thing) {
    started.push(thing);
    return thing;
  }

  /** Starts the runnable jar that the system property {@code jarProperty} names (the module's pom sets it). */
  public JarProcess jar(String name, String jarProperty, List<String> args, Map<String, String> env) {
    return add(JarProcess.start(name, Path.of(System.getProperty(jarProperty)), args, env));
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
