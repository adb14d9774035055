package dev.stiggsidecar.emulator.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The faults in force, read on every request, and the listeners that act when they change. */
public final class FaultSwitch {

  private final AtomicReference<Faults> current = new AtomicReference<>(Faults.NONE);
  private final List<Consumer<Faults>> listeners = new CopyOnWriteArrayList<>();

  public Faults current() {
    return current.get();
  }

  public void set(Faults next) {
    current.set(next);
    listeners.forEach(listener -> listener.accept(next));
  }

  public void onChange(Consumer<Faults> listener) {
    listeners.add(listener);
  }
}
