package org.drift4j.examples.bench.monitor;

/** Binary search in sorted baseline errors, shared by the comparators and the rank profiles. */
final class SortedErrors {

  private SortedErrors() {}

  /** {@return the number of {@code sorted[0..n)} below {@code value}} */
  static int lowerBound(double[] sorted, int n, double value) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
