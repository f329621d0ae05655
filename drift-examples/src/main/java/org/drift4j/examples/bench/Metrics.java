package org.drift4j.examples.bench;

/** Reading samples out of Prometheus text. */
final class Metrics {

  private Metrics() {}

  /**
   * The sum of the samples of the series whose line starts with {@code prefix} (a metric name, or
   * a name with its full label set); 0 when there is none.
   */
  static double sum(String scrape, String prefix) {
    double total = 0;
    for (String line : (Iterable<String>) scrape.lines()::iterator) {
      if (line.startsWith(prefix) && (line.length() > prefix.length())
          && (line.charAt(prefix.length()) == '{' || line.charAt(prefix.length()) == ' ')) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
