package dev.stiggsidecar.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: runs the {@link WebhookServer} until the process is stopped. */
final class ServeCommand {

  private ServeCommand() {}

  static void run(Map<String, String> env) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    WebhookServer server = WebhookServer.start(client, env);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
