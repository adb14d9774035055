package dev.stiggsidecar.kubetest;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every request the API server answered with 403 Forbidden, and every write to an
 * existing object (PUT, PATCH) it answered with 409 Conflict, including those the code under test
 * catches, logs or retries (events, informers, the framework's own retries), so a test can require
 * that the shipped RBAC forbade nothing and that a writer never raced another. (A 409 to a create
 * means the object exists already: not a race, and not recorded.)
 */
public final class RejectionLog implements Interceptor {

  private final List<String> forbidden = new CopyOnWriteArrayList<>();
  private final List<String> conflicts = new CopyOnWriteArrayList<>();

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (response.code() == 403) {
      forbidden.add(request.method() + " " + request.uri());
    } else if (response.code() == 409 && !request.method().equals("POST")) {
      conflicts.add(request.method() + " " + request.uri());
    }
  }

  /** {@code METHOD uri} of each forbidden request, in order. */
  public List<String> forbidden() {
    return List.copyOf(forbidden);
  }

  /** {@code METHOD uri} of each request that met a conflict, in order. */
  public List<String> conflicts() {
    return List.copyOf(conflicts);
  }
}
