package dev.stiggsidecar.observability;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Prometheus 2.42 has no parse endpoint, so this strips
 * what cannot be a metric name (strings, label matchers, ranges, grouping clauses) and keeps the
 * identifiers that are neither calls nor keywords.
 */
final class PromqlMetricNames {

  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  private PromqlMetricNames() {}

  static Set<String> of(String expression) {
    String stripped = STRING.matcher(expression).replaceAll("\"\"");
    stripped = MATCHERS.matcher(stripped).replaceAll(" ");
    stripped = RANGE.matcher(stripped).replaceAll(" ");
    stripped = GROUPING.matcher(stripped).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(stripped);
    while (identifier.find()) {
      String word = identifier.group(1);
      if (identifier.group(2) == null && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }
}
