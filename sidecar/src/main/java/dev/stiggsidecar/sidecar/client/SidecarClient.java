package dev.stiggsidecar.sidecar.client;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.stigg.sidecar.proto.v1.BooleanEntitlementOptions;
import io.stigg.sidecar.proto.v1.EnumEntitlementOptions;
import io.stigg.sidecar.proto.v1.GetBooleanEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetEntitlementsRequest;
import io.stigg.sidecar.proto.v1.GetEnumEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetMeteredEntitlementRequest;
import io.stigg.sidecar.proto.v1.GetNumericEntitlementRequest;
import io.stigg.sidecar.proto.v1.MeteredEntitlementOptions;
import io.stigg.sidecar.proto.v1.ReloadEntitlementsRequest;
import io.stigg.sidecar.proto.v1.ReportUsageRequest;
import io.stigg.sidecar.proto.v1.SidecarServiceGrpc;
import io.stigg.sidecar.proto.v1.UsageUpdateBehavior;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar stigg-sidecar.jar client <command>}: asks a running sidecar what an application
 * would, for demos and for debugging a pod. Prints the response in protobuf text format.
 */
public final class SidecarClient {

  static final String USAGE = """
      Usage: java -jar stigg-sidecar.jar client <command> [--target host:port] [options]

      Commands:
        check         --customer C --feature F [--resource R]
                      [--type boolean|numeric|metered|enum|any] [--usage N] [--values a,b]
                      [--fallback-access true|false]
        entitlements  --customer C [--resource R]
        report-usage  --customer C --feature F --value N [--resource R] [--set]
        reload        --customer C [--resource R]

      --target defaults to 127.0.0.1:$PORT (or 127.0.0.1:80).
      """;

  private SidecarClient() {}

  /** Runs one command; answers the process exit code. */
  public static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        System.err.println("unexpected argument " + args[i] + "\n" + USAGE);
        return 2;
      }
      boolean flag = args[i].equals("--set");
      options.put(args[i].substring(2), flag ? "true" : (i + 1 < args.length ? args[++i] : ""));
    }
    String port = System.getenv().getOrDefault("PORT", "80");
    String target = options.getOrDefault("target", "127.0.0.1:" + port);
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      SidecarServiceGrpc.SidecarServiceBlockingStub stub = SidecarServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(15, TimeUnit.SECONDS);
      Message response = switch (args[0]) {
        case "check" -> check(stub, options);
        case "entitlements" -> stub.getEntitlements(GetEntitlementsRequest.newBuilder()
            .setCustomerId(required(options, "customer")).mergeFrom(resource(options, GetEntitlementsRequest.newBuilder()))
            .build());
        case "report-usage" -> reportUsage(stub, options);
        case "reload" -> stub.reloadEntitlements(ReloadEntitlementsRequest.newBuilder()
            .setCustomerId(required(options, "customer"))
            .mergeFrom(resource(options, ReloadEntitlementsRequest.newBuilder())).build());
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      };
      System.out.print(TextFormat.printer().printToString(response));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    } catch (StatusRuntimeException e) {
      System.err.println("the sidecar at " + target + " answered " + e.getStatus().getCode() + ": "
          + e.getStatus().getDescription());
      return 1;
    } finally {
      channel.shutdownNow();
    }
  }

  private static Message check(SidecarServiceGrpc.SidecarServiceBlockingStub stub, Map<String, String> options) {
    String customer = required(options, "customer");
    String feature = required(options, "feature");
    String resource = options.get("resource");
    boolean fallbackAccess = Boolean.parseBoolean(options.getOrDefault("fallback-access", "false"));
    return switch (options.getOrDefault("type", "any")) {
      case "boolean" -> {
        GetBooleanEntitlementRequest.Builder request = GetBooleanEntitlementRequest.newBuilder()
            .setCustomerId(customer).setFeatureId(feature);
        if (resource != null) {
          request.setResourceId(resource);
        }
        if (options.containsKey("fallback-access")) {
          request.setOptions(BooleanEntitlementOptions.newBuilder()
              .setFallback(io.stigg.sidecar.proto.v1.BooleanEntitlementFallback.newBuilder().setHasAccess(fallbackAccess)));
        }
        yield stub.getBooleanEntitlement(request.build());
      }
      case "numeric" -> {
        GetNumericEntitlementRequest.Builder request = GetNumericEntitlementRequest.newBuilder()
            .setCustomerId(customer).setFeatureId(feature);
        if (resource != null) {
          request.setResourceId(resource);
        }
        yield stub.getNumericEntitlement(request.build());
      }
      case "metered" -> {
        GetMeteredEntitlementRequest.Builder request = GetMeteredEntitlementRequest.newBuilder()
            .setCustomerId(customer).setFeatureId(feature);
        if (resource != null) {
          request.setResourceId(resource);
        }
        if (options.containsKey("usage")) {
          request.setOptions(MeteredEntitlementOptions.newBuilder().setRequestedUsage(number(options, "usage")));
        }
        yield stub.getMeteredEntitlement(request.build());
      }
      case "enum" -> {
        GetEnumEntitlementRequest.Builder request = GetEnumEntitlementRequest.newBuilder()
            .setCustomerId(customer).setFeatureId(feature);
        if (resource != null) {
          request.setResourceId(resource);
        }
        request.setOptions(EnumEntitlementOptions.newBuilder().addAllRequestedValues(values(options)));
        yield stub.getEnumEntitlement(request.build());
      }
      case "any" -> {
        GetEntitlementRequest.Builder request = GetEntitlementRequest.newBuilder()
            .setCustomerId(customer).setFeatureId(feature);
        if (resource != null) {
          request.setResourceId(resource);
        }
        yield stub.getEntitlement(request.build());
      }
      default -> throw new IllegalArgumentException("--type must be boolean, numeric, metered, enum or any");
    };
  }

  private static Message reportUsage(SidecarServiceGrpc.SidecarServiceBlockingStub stub, Map<String, String> options) {
    ReportUsageRequest.Builder request = ReportUsageRequest.newBuilder()
        .setCustomerId(required(options, "customer")).setFeatureId(required(options, "feature"))
        .setValue(number(options, "value"));
    if (options.containsKey("resource")) {
      request.setResourceId(options.get("resource"));
    }
    if (options.containsKey("set")) {
      request.setUpdateBehavior(UsageUpdateBehavior.USAGE_UPDATE_BEHAVIOR_SET);
    }
    return stub.reportUsage(request.build());
  }

  private static <B extends Message.Builder> Message resource(Map<String, String> options, B builder) {
    if (options.containsKey("resource")) {
      builder.setField(builder.getDescriptorForType().findFieldByName("resource_id"), options.get("resource"));
    }
    return builder.buildPartial();
  }

  private static List<String> values(Map<String, String> options) {
    String values = options.getOrDefault("values", "");
    return values.isEmpty() ? List.of() : Arrays.asList(values.split(","));
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static double number(Map<String, String> options, String name) {
    try {
      return Double.parseDouble(required(options, name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number");
    }
  }
}
