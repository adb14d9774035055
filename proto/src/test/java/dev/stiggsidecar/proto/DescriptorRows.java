package dev.stiggsidecar.proto;

import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a proto file descriptor into the row format of {@code contract/sidecar-contract.tsv}, so
 * that the generated code and the checked-in contract can be compared as plain text rows.
 */
final class DescriptorRows {

  private static final String PACKAGE_PREFIX = "stigg.sidecar.v1.";
  private static final String WELL_KNOWN_PREFIX = "google.protobuf.";

  private DescriptorRows() {}

  static List<String> of(FileDescriptor file) {
    List<String> rows = new ArrayList<>();
    for (EnumDescriptor enumType : file.getEnumTypes()) {
      for (EnumValueDescriptor value : enumType.getValues()) {
        rows.add(row("enum", enumType.getName(), value.getName(), value.getNumber()));
      }
    }
    for (Descriptor message : file.getMessageTypes()) {
      rows.add(row("message", message.getName()));
      for (Descriptor nested : message.getNestedTypes()) {
        if (!nested.getOptions().getMapEntry()) {
          rows.add(row("nested-message", message.getName(), nested.getName()));
        }
      }
      for (FieldDescriptor field : message.getFields()) {
        rows.add(row("field", message.getName(), field.getName(), field.getNumber(), type(field), label(field)));
        if (field.getOptions().getDeprecated()) {
          rows.add(row("deprecated", message.getName(), field.getName()));
        }
      }
    }
    for (ServiceDescriptor service : file.getServices()) {
      int position = 1;
      for (MethodDescriptor method : service.getMethods()) {
        String streaming = method.isClientStreaming() || method.isServerStreaming() ? "streaming" : null;
        rows.add(row("rpc", service.getName(), method.getName(), position++,
            localName(method.getInputType().getFullName()),
            localName(method.getOutputType().getFullName()), streaming));
      }
    }
    String path = file.getName();
    rows.add(row("file", path, "package", file.getPackage()));
    rows.add(row("file", path, "syntax", file.toProto().getSyntax()));
    for (FileDescriptor dependency : file.getDependencies()) {
      rows.add(row("file", path, "dependency", dependency.getName()));
    }
    FileOptions options = file.getOptions();
    rows.add(row("option", path, "java_package", options.getJavaPackage()));
    rows.add(row("option", path, "java_outer_classname", options.getJavaOuterClassname()));
    rows.add(row("option", path, "java_multiple_files", options.getJavaMultipleFiles()));
    rows.add(row("option", path, "go_package", options.getGoPackage()));
    rows.add(row("option", path, "objc_class_prefix", options.getObjcClassPrefix()));
    rows.add(row("option", path, "csharp_namespace", options.getCsharpNamespace()));
    rows.add(row("option", path, "php_namespace", options.getPhpNamespace()));
    rows.add(row("option", path, "php_metadata_namespace", options.getPhpMetadataNamespace()));
    rows.add(row("option", path, "ruby_package", options.getRubyPackage()));
    return rows;
  }

  private static String type(FieldDescriptor field) {
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      return "map<" + scalarOrNamed(entry.findFieldByName("key")) + ", "
          + scalarOrNamed(entry.findFieldByName("value")) + ">";
    }
    return scalarOrNamed(field);
  }

  private static String scalarOrNamed(FieldDescriptor field) {
    return switch (field.getType()) {
      case MESSAGE -> shortName(field.getMessageType().getFullName());
      case ENUM -> shortName(field.getEnumType().getFullName());
      default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String label(FieldDescriptor field) {
    if (field.isMapField()) {
      return "map";
    }
    if (field.isRepeated()) {
      return "repeated";
    }
    if (field.getRealContainingOneof() != null) {
      return "oneof:" + field.getRealContainingOneof().getName();
    }
    return field.toProto().getProto3Optional() ? "optional" : "singular";
  }

  /** Field types in the table drop both our package and the well-known-types package. */
  private static String shortName(String fullName) {
    return fullName.startsWith(WELL_KNOWN_PREFIX)
        ? fullName.substring(WELL_KNOWN_PREFIX.length())
        : localName(fullName);
  }

  /** RPC types in the table drop our package but keep {@code google.protobuf.}. */
  private static String localName(String fullName) {
    return fullName.startsWith(PACKAGE_PREFIX) ? fullName.substring(PACKAGE_PREFIX.length()) : fullName;
  }

  private static String row(Object... cells) {
    List<String> parts = new ArrayList<>();
    for (Object cell : cells) {
      if (cell != null) {
        parts.add(String.valueOf(cell));
      }
    }
    return String.join("\t", parts);
  }
}
