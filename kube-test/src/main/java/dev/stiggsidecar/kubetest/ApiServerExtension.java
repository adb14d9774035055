package dev.stiggsidecar.kubetest;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ApiServer} parameters with one server per test run (the root context's store
 * closes it at the end), so test classes share a single etcd and API server and the suite stays
 * fast. Binaries come from the {@code kube-api-test.binaries} system property (set by the build),
 * else kube-api-test downloads them.
 */
public final class ApiServerExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ApiServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ApiServer.class;
  }

  @Override
  public ApiServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(STORE).computeIfAbsent(ApiServer.class,
        key -> ApiServer.start(Path.of("target", "kube-api-test").toAbsolutePath(),
            Path.of(System.getProperty("kube-api-test.binaries", "target/no-provided-binaries"))),
        ApiServer.class);
  }
}
