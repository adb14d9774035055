package dev.stiggsidecar.emulator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphqlDocumentTest {

  /** The ReportUsage document exactly as Stigg's SDK sends it. */
  private static final String REPORT_USAGE = """
      mutation ReportUsage($input: ReportUsageInput!) {
        reportUsage(input: $input) {
          ...ReportUsageFragment
          __typename
        }
      }

      fragment ReportUsageFragment on UsageMeasurementWithCurrentUsage {
        id
        featureId
        __typename
      }
      """;

  @Test
  void sdkDocumentsParseAndNameTheirOperation() {
    GraphqlDocument.Result result = GraphqlDocument.parse(REPORT_USAGE);

    assertThat(result.error()).isEmpty();
    assertThat(result.document().orElseThrow().operationNames()).containsExactly("ReportUsage");
  }

  @Test
  void stringsCommentsAndVariablesAreTokens() {
    GraphqlDocument.Result result = GraphqlDocument.parse(
        "# a comment { \nquery Q($a: [String!]! = [\"}\"]) { f(x: \"\"\"block { \"\"\", y: -1.5e3) @skip(if: false) }");

    assertThat(result.error()).isEmpty();
    assertThat(result.document().orElseThrow().operationNames()).containsExactly("Q");
  }

  @Test
  void anAnonymousQueryIsRecognised() {
    GraphqlDocument document = GraphqlDocument.parse("{ sdkConfiguration { sentryDsn } }").document().orElseThrow();

    assertThat(document.hasAnonymousOperation()).isTrue();
    assertThat(document.operationNames()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "query Q { a                | Syntax Error: Expected \"}\", found <EOF>. | 1 | 12",
      "query Q { a } }            | Syntax Error: Unexpected \"}\".            | 1 | 15",
      "query Q { a(x: \"open) }   | Syntax Error: Unterminated string.       | 1 | 16",
      "query Q { a % }            | Syntax Error: Unexpected character: \"%\". | 1 | 13",
      "hello { a }                | Syntax Error: Unexpected Name \"hello\".   | 1 | 1",
      "query Q                    | Syntax Error: Expected \"{\", found <EOF>. | 1 | 8",
  })
  void malformedDocumentsGetGraphqlJsStyleErrors(String source, String message, int line, int column) {
    GraphqlDocument.SyntaxError error = GraphqlDocument.parse(source.strip()).error().orElseThrow();

    assertThat(error.message()).isEqualTo(message.strip());
    assertThat(error.line()).isEqualTo(line);
    assertThat(error.column()).isEqualTo(column);
  }
}
