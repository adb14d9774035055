package dev.stiggsidecar.emulator;

import dev.stiggsidecar.emulator.api.ApiRouter;
import dev.stiggsidecar.emulator.catalog.Catalog;
import dev.stiggsidecar.emulator.catalog.CatalogException;
import dev.stiggsidecar.emulator.catalog.CatalogFile;
import dev.stiggsidecar.emulator.faults.FaultSwitch;
import dev.stiggsidecar.emulator.faults.Faults;
import dev.stiggsidecar.emulator.realtime.RealtimeHub;
import dev.stiggsidecar.emulator.stats.EmulatorStats;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A running local Stigg API: Edge, GraphQL and real-time on one port, plus the admin API. Start it
 * in-process (tests) or through {@link EmulatorMain} (the runnable jar); {@link #close()} stops it.
 */
public final class StiggEmulator implements AutoCloseable {

  private final Server server;
  private final ScheduledExecutorService scheduler;
  private final Catalog catalog;
  private final EmulatorStats stats;
  private final RealtimeHub realtime;
  private final FaultSwitch faults;
  private final String host;

  private StiggEmulator(Server server, ScheduledExecutorService scheduler, Catalog catalog, EmulatorStats stats,
      RealtimeHub realtime, FaultSwitch faults, String host) {
    this.server = server;
    this.scheduler = scheduler;
    this.catalog = catalog;
    this.stats = stats;
    this.realtime = realtime;
    this.faults = faults;
    this.host = host;
  }

  /**
   * Loads the catalog and starts serving.
   *
   * @throws CatalogException when the data file is missing or invalid (nothing is started then)
   */
  public static StiggEmulator start(EmulatorSettings settings) throws Exception {
    Catalog catalog = new Catalog(settings.clock());
    if (settings.dataFile().isPresent()) {
      CatalogFile.load(settings.dataFile().get(), catalog);
    } else {
      CatalogFile.loadSample(catalog);
    }
    EmulatorStats stats = new EmulatorStats();
    FaultSwitch faults = new FaultSwitch();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "emulator-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    RealtimeHub realtime = new RealtimeHub(settings.apiKey(), stats, faults::current, scheduler);
    faults.onChange(next -> {
      if (next.refusesWebsockets()) {
        realtime.closeAll(1012, "Service restart (emulator fault)");
      } else if (next.rejectKey()) {
        realtime.closeAll(4401, "Invalid API key");
      }
    });

    QueuedThreadPool threads = new QueuedThreadPool(256, 4);
    threads.setName("emulator-http");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    server.addConnector(connector);
    WebSocketUpgradeHandler websockets = WebSocketUpgradeHandler.from(server, container -> {
      container.setIdleTimeout(Duration.ofMinutes(2));
      container.addMapping("/graphql", realtime.creator());
    });
    websockets.setHandler(new ApiRouter(settings.apiKey(), catalog, realtime, stats, faults, scheduler,
        settings.faultHold()));
    server.setHandler(websockets);
    try {
      server.start();
    } catch (Exception e) {
      scheduler.shutdownNow();
      server.stop();
      throw e;
    }
    return new StiggEmulator(server, scheduler, catalog, stats, realtime, faults, settings.host());
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The HTTP base URL, e.g. {@code http://127.0.0.1:8790}: both {@code API_URL} and {@code EDGE_API_URL}. */
  public URI baseUri() {
    String printable = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + printable + ":" + port());
  }

  /** The websocket base URL ({@code WS_URL}); clients append {@code /graphql}. */
  public URI websocketUri() {
    return URI.create(baseUri().toString().replaceFirst("^http", "ws"));
  }

  public Catalog catalog() {
    return catalog;
  }

  public EmulatorStats stats() {
    return stats;
  }

  public RealtimeHub realtime() {
    return realtime;
  }

  /** Injects faults, exactly as {@code POST /admin/faults} does. */
  public void setFaults(Faults next) {
    faults.set(next);
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      scheduler.shutdownNow();
    }
  }
}
