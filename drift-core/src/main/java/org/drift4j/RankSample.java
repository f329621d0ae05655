package org.drift4j;

import java.util.Arrays;

/**
 * Where a batch's errors fall among the baseline's sorted errors: for each batch image (in
 * ascending error order) how many baseline errors lie strictly below it and how many lie at or
 * below it. Rank statistics computed from this are distribution-free under the null hypothesis
 * that batch and baseline are exchangeable.
 */
final class RankSample implements RankCounts {

  private final int[] below;
  private final int[] atOrBelow;
  private final int baselineSize;

  RankSample(int[] below, int[] atOrBelow, int baselineSize) {
    this.below = below;
    this.atOrBelow = atOrBelow;
    this.baselineSize = baselineSize;
  }

  /** Ranks of {@code batchErrors} among {@code sortedBaseline}. */
  static RankSample of(double[] batchErrors, double[] sortedBaseline) {
    double[] sorted = batchErrors.clone();
    Arrays.sort(sorted);
    int[] below = new int[sorted.length];
    int[] atOrBelow = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      below[i] = SortedArrays.lowerBound(sortedBaseline, sorted[i], 0);
      atOrBelow[i] = SortedArrays.upperBound(sortedBaseline, sorted[i], below[i]);
    }
    return new RankSample(below, atOrBelow, sortedBaseline.length);
  }

  @Override
  public int batchSize() {
    return below.length;
  }

  @Override
  public int baselineSize() {
    return baselineSize;
  }

  /** Baseline errors strictly below the i-th smallest batch error. */
  int below(int i) {
    return below[i];
  }

  /** Baseline errors at or below the i-th smallest batch error. */
  int atOrBelow(int i) {
    return atOrBelow[i];
  }

  /** Mid-rank: baseline errors below, counting ties as one half. */
  double midRank(int i) {
    return 0.5 * (below[i] + atOrBelow[i]);
  }

  @Override
  public double rankSum() {
    double u = 0;
    for (int i = 0; i < below.length; i++) {
      u += midRank(i);
    }
    return u;
  }

  @Override
  public int batchAbove(int k) {
    int x = 0;
    for (int i = below.length - 1; i >= 0 && below[i] > baselineSize - k; i--) {
      x++;
    }
    return x;
  }

  @Override
  public int batchBelow(int k) {
    int x = 0;
    for (int i = 0; i < atOrBelow.length && atOrBelow[i] < k; i++) {
      x++;
    }
    return x;
  }

}
