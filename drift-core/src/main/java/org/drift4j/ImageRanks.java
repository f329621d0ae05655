package org.drift4j;

/**
 * Where each of a request's errors falls among the baseline's sorted errors: the count below and
 * the ties (for the monitor's randomised ranks), the conformal upper-tail p-value and the outlier
 * flag. Computed outside the monitor's lock.
 */
final class ImageRanks {
  private final int[] below;
  private final int[] ties;
  private final double[] pValues;
  private final boolean[] outliers;

  private ImageRanks(int[] below, int[] ties, double[] pValues, boolean[] outliers) {
    this.below = below;
    this.ties = ties;
    this.pValues = pValues;
    this.outliers = outliers;
  }

  int[] below() {
    return below;
  }

  int[] ties() {
    return ties;
  }

  double[] pValues() {
    return pValues;
  }

  boolean[] outliers() {
    return outliers;
  }

  static ImageRanks of(double[] sortedErrors, double[] errors, double outlierThreshold) {
    int m = errors.length;
    int[] below = new int[m];
    int[] ties = new int[m];
    double[] pValues = new double[m];
    boolean[] outliers = new boolean[m];
    for (int i = 0; i < m; i++) {
      below[i] = SortedArrays.lowerBound(sortedErrors, errors[i], 0);
      ties[i] = SortedArrays.upperBound(sortedErrors, errors[i], below[i]) - below[i];
      pValues[i] = (1.0 + sortedErrors.length - below[i]) / (sortedErrors.length + 1.0);
      outliers[i] = errors[i] > outlierThreshold;
    }
    return new ImageRanks(below, ties, pValues, outliers);
  }
}
