package dev.stiggsidecar.emulator.catalog;

import java.util.Arrays;
import java.util.Optional;

/** How entitlement fetches of one customer fail, for fallback tests (admin {@code "fault"}). */
public enum CustomerFault {
  /** HTTP 200 whose body has a top-level {@code errors} array and no data. */
  GRAPHQL_ERRORS("graphql-errors"),
  /** HTTP 500. */
  HTTP_500("http-500"),
  /** No answer until long after any client's timeout. */
  TIMEOUT("timeout");

  private final String wireName;

  CustomerFault(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<CustomerFault> parse(String wireName) {
    return Arrays.stream(values()).filter(fault -> fault.wireName.equals(wireName)).findFirst();
  }

  public static String allowedNames() {
    return String.join(", ", Arrays.stream(values()).map(CustomerFault::wireName).toList());
  }
}
