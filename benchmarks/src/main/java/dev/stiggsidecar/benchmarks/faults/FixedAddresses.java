package dev.stiggsidecar.benchmarks.faults;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * A name that resolves to a fixed list of addresses, so a channel can balance over several
 * sidecars as it would over the endpoints of a Kubernetes Service (headless, round robin).
 */
final class FixedAddresses extends NameResolverProvider {

  static final String SCHEME = "fixed";

  private final List<InetSocketAddress> addresses;

  FixedAddresses(List<InetSocketAddress> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return "sidecars";
      }

      @Override
      public void start(Listener2 listener) {
        listener.onResult(ResolutionResult.newBuilder().setAddresses(addresses.stream()
            .map(address -> new EquivalentAddressGroup(List.<SocketAddress>of(address))).toList()).build());
      }

      @Override
      public void shutdown() {
      }
    };
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }
}
