package dev.stiggsidecar.emulator.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Just enough of GraphQL's grammar to answer like a real server without executing documents: the
 * emulator dispatches on the operation name, but a malformed document must still be rejected with
 * a {@code Syntax Error} at the right line and column, and an operation name must be defined in
 * the document it names.
 *
 * <p>The lexer follows the GraphQL specification's tokens (punctuators, names, numbers, strings,
 * block strings, comments, insignificant commas); the structural check is bracket matching plus
 * the keywords that may open a top-level definition.
 */
public final class GraphqlDocument {

  /** A syntax error, with 1-based line and column as graphql-js reports them. */
  public record SyntaxError(String message, int line, int column) {}

  private final List<String> operationNames;
  private final boolean hasAnonymousOperation;

  private GraphqlDocument(List<String> operationNames, boolean hasAnonymousOperation) {
    this.operationNames = operationNames;
    this.hasAnonymousOperation = hasAnonymousOperation;
  }

  public List<String> operationNames() {
    return operationNames;
  }

  public boolean hasAnonymousOperation() {
    return hasAnonymousOperation;
  }

  /** Parses {@code source}; the error, if any, is the first one a GraphQL parser would report. */
  public static Result parse(String source) {
    return new Lexer(source).run();
  }

  /** Either a document or the syntax error that stopped it. */
  public record Result(Optional<GraphqlDocument> document, Optional<SyntaxError> error) {}

  private static final class Lexer {
    private final String source;
    private int position;
    private int line = 1;
    private int lineStart;

    Lexer(String source) {
      this.source = source;
    }

    Result run() {
      List<String> names = new ArrayList<>();
      boolean anonymous = false;
      Deque<Character> open = new ArrayDeque<>();
      String previous = null;
      while (true) {
        skipIgnored();
        if (position >= source.length()) {
          break;
        }
        int tokenLine = line;
        int tokenColumn = position - lineStart + 1;
        char c = source.charAt(position);
        String token;
        if (c == '{' || c == '(' || c == '[') {
          if (open.isEmpty() && c == '{' && !"query".equals(previous) && !"mutation".equals(previous)
              && !"subscription".equals(previous) && !isName(previous) && !")".equals(previous)) {
            anonymous = true;
          }
          open.push(c);
          token = String.valueOf(c);
          position++;
        } else if (c == '}' || c == ')' || c == ']') {
          char expected = c == '}' ? '{' : c == ')' ? '(' : '[';
          if (open.isEmpty() || open.peek() != expected) {
            return error("Syntax Error: Unexpected \"" + c + "\".", tokenLine, tokenColumn);
          }
          open.pop();
          token = String.valueOf(c);
          position++;
        } else if ("!$&:=@|".indexOf(c) >= 0) {
          token = String.valueOf(c);
          position++;
        } else if (source.startsWith("...", position)) {
          token = "...";
          position += 3;
        } else if (c == '"') {
          Optional<SyntaxError> stringError = skipString(tokenLine, tokenColumn);
          if (stringError.isPresent()) {
            return new Result(Optional.empty(), stringError);
          }
          token = "\"";
        } else if (Character.isLetter(c) || c == '_') {
          int start = position;
          while (position < source.length()
              && (Character.isLetterOrDigit(source.charAt(position)) || source.charAt(position) == '_')) {
            position++;
          }
          token = source.substring(start, position);
          if (open.isEmpty()) {
            if (isOperationKeyword(previous)) {
              names.add(token);
            } else if ((previous == null || "}".equals(previous))
                && !isOperationKeyword(token) && !"fragment".equals(token)) {
              return error("Syntax Error: Unexpected Name \"" + token + "\".", tokenLine, tokenColumn);
            }
          }
        } else if (c == '-' || Character.isDigit(c)) {
          position++;
          while (position < source.length() && "0123456789.eE+-".indexOf(source.charAt(position)) >= 0) {
            position++;
          }
          token = "0";
        } else {
          return error("Syntax Error: Unexpected character: \"" + c + "\".", tokenLine, tokenColumn);
        }
        previous = token;
      }
      if (!open.isEmpty()) {
        char missing = open.peek() == '{' ? '}' : open.peek() == '(' ? ')' : ']';
        return error("Syntax Error: Expected \"" + missing + "\", found <EOF>.", line, position - lineStart + 1);
      }
      if (previous == null) {
        return error("Syntax Error: Unexpected <EOF>.", line, position - lineStart + 1);
      }
      if (!"}".equals(previous)) {
        return error("Syntax Error: Expected \"{\", found <EOF>.", line, position - lineStart + 1);
      }
      return new Result(Optional.of(new GraphqlDocument(List.copyOf(names), anonymous)), Optional.empty());
    }

    private Optional<SyntaxError> skipString(int tokenLine, int tokenColumn) {
      boolean block = source.startsWith("\"\"\"", position);
      position += block ? 3 : 1;
      while (position < source.length()) {
        char c = source.charAt(position);
        if (block && source.startsWith("\"\"\"", position)) {
          position += 3;
          return Optional.empty();
        }
        if (!block && c == '"') {
          position++;
          return Optional.empty();
        }
        if (!block && (c == '\n' || c == '\r')) {
          break;
        }
        if (c == '\\') {
          position++;
        } else if (c == '\n') {
          line++;
          lineStart = position + 1;
        }
        position++;
      }
      return Optional.of(new SyntaxError("Syntax Error: Unterminated string.", tokenLine, tokenColumn));
    }

    private void skipIgnored() {
      while (position < source.length()) {
        char c = source.charAt(position);
        if (c == '\n') {
          line++;
          lineStart = ++position;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '\uFEFF') {
          position++;
        } else if (c == '#') {
          while (position < source.length() && source.charAt(position) != '\n') {
            position++;
          }
        } else {
          return;
        }
      }
    }

    private static boolean isOperationKeyword(String token) {
      return "query".equals(token) || "mutation".equals(token) || "subscription".equals(token);
    }

    private static boolean isName(String token) {
      return token != null && !token.isEmpty() && (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_');
    }

    private static Result error(String message, int line, int column) {
      return new Result(Optional.empty(), Optional.of(new SyntaxError(message, line, column)));
    }
  }
}
