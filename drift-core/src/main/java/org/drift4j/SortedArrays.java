package org.drift4j;

/** Binary searches over ascending double arrays. */
final class SortedArrays {

  private SortedArrays() {}

  /** Number of values in {@code a[from..]} that are strictly below {@code x}, plus {@code from}. */
  static int lowerBound(double[] a, double x, int from) {
    int lo = from;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Number of values in {@code a[from..]} that are at most {@code x}, plus {@code from}. */
  static int upperBound(double[] a, double x, int from) {
    int lo = from;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
