package dev.stiggsidecar.kubetest;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every request the API server answered with 403 Forbidden, including those the code
 * under test catches and logs (events, retries, informers), so a test can require none.
 */
public final class ForbiddenLog implements Interceptor {

  private final List<String> forbidden = new CopyOnWriteArrayList<>();

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (response.code() == 403) {
      forbidden.add(request.method() + " " + request.uri());
    }
  }

  /** {@code METHOD uri} of each forbidden request, in order. */
  public List<String> requests() {
    return List.copyOf(forbidden);
  }
}
