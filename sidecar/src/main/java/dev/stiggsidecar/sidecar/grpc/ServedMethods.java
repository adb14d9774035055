package dev.stiggsidecar.sidecar.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How each method of the sidecar service is served: its request parsed strictly and the call timed,
 * in one wrapper per call.
 *
 * <p>Strict parsing: undecodable request bytes are answered with {@code INVALID_ARGUMENT} naming
 * the expected message type. grpc-java reports a request that fails to parse as {@code UNKNOWN},
 * which tells a client nothing; such bytes are the client's bug. Each method is registered with raw
 * request bytes and parsed here, where a failure can close the call with the right status; the
 * service keeps its schema, so server reflection still describes it.
 *
 * <p>Timing ({@link GrpcCallMetrics}) happens in the same wrapper rather than in an interceptor: a
 * cache hit costs about as much as an empty RPC, and every extra layer of listener and call
 * wrappers on that path showed up as a measurable share of it.
 */
final class ServedMethods {

  private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  };

  private ServedMethods() {}

  static ServerServiceDefinition wrap(ServerServiceDefinition service, GrpcCallMetrics metrics) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> strict = strict(method, metrics);
      methods.add(strict);
      descriptor.addMethod(strict.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(builder::addMethod);
    return builder.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, R> strict(ServerMethodDefinition<Q, R> method,
      GrpcCallMetrics metrics) {
    MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
    String type = typed.getRequestMarshaller() instanceof MethodDescriptor.ReflectableMarshaller<Q> reflectable
        ? reflectable.getMessageClass().getSimpleName() : "request";
    MethodDescriptor<InputStream, R> raw = typed.toBuilder(RAW, typed.getResponseMarshaller()).build();
    ServerCallHandler<InputStream, R> handler = (call, headers) -> {
      TypedCall<Q, R> typedCall = new TypedCall<>(call, typed, metrics, System.nanoTime());
      ServerCall.Listener<Q> delegate = method.getServerCallHandler().startCall(typedCall, headers);
      return new ServerCall.Listener<>() {
        private boolean rejected;

        @Override
        public void onMessage(InputStream bytes) {
          Q request;
          try {
            request = typed.parseRequest(bytes);
          } catch (RuntimeException e) {
            rejected = true;
            typedCall.close(GrpcStatuses.malformed(type), new Metadata());
            return;
          }
          delegate.onMessage(request);
        }

        @Override
        public void onHalfClose() {
          if (!rejected) {
            delegate.onHalfClose();
          }
        }

        @Override
        public void onCancel() {
          delegate.onCancel();
        }

        @Override
        public void onComplete() {
          delegate.onComplete();
        }

        @Override
        public void onReady() {
          delegate.onReady();
        }
      };
    };
    return ServerMethodDefinition.create(raw, handler);
  }

  /** The raw call, seen by the generated handler as the typed call it expects; timed when it closes. */
  private static final class TypedCall<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> method;
    private final GrpcCallMetrics metrics;
    private final long startedNanos;

    TypedCall(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> method, GrpcCallMetrics metrics,
        long startedNanos) {
      this.call = call;
      this.method = method;
      this.metrics = metrics;
      this.startedNanos = startedNanos;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      call.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      metrics.record(method, status.getCode(), System.nanoTime() - startedNanos);
      call.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }
}
