package org.drift4j;

import java.util.Arrays;

/**
 * Per pixel and channel, how a batch's errors depart from a baseline's: the batch's running mean
 * and variance (Welford, in double), then a z-map and the pixels significant under
 * Benjamini–Hochberg. Not thread-safe: one explanation fills one instance.
 *
 * <p>The statistic of value k, with baseline mean μ, variance σ² over n images and batch mean ē,
 * variance s² over m images, is {@code z = (ē − μ) / sqrt(max(s², σ²) / m + σ² / n)}: the
 * standardised departure {@code (ē − μ) / sqrt(σ² / m)} with the baseline's own sampling error
 * added, and the batch's variance in place of the baseline's where it is larger, so that one odd
 * image in a pixel that is almost always rebuilt perfectly cannot make that pixel significant by
 * itself. Means are compared at the float precision the baseline keeps, and a variance is never
 * taken below that precision, so a pixel whose error never varies is not significant for a
 * rounding difference.
 */
final class PixelDepartures {

  /** The largest |z| recorded, for a value whose baseline and batch errors never vary but differ. */
  static final double Z_CAP = 1e6;

  private final PixelErrorStatistics baseline;
  private final double[] mean;
  private final double[] m2;
  private int count;

  PixelDepartures(PixelErrorStatistics baseline) {
    this.baseline = baseline;
    this.mean = new double[baseline.shape().size()];
    this.m2 = new double[mean.length];
  }

  /** Adds one image's per-value errors. */
  void add(double[] errors) {
    count++;
    for (int k = 0; k < mean.length; k++) {
      double delta = errors[k] - mean[k];
      mean[k] += delta / count;
      m2[k] += delta * (errors[k] - mean[k]);
    }
  }

  /** {@return the images added} */
  int count() {
    return count;
  }

  /** {@return the batch's mean error per value} */
  float[] batchMean() {
    float[] out = new float[mean.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) mean[k];
    }
    return out;
  }

  /** The z-map and the values significant at a false-discovery rate; arrays handed over, not copied. */
  static final class Result {
    private final float[] z;
    private final byte[] significance;
    private final double zThreshold;

    Result(float[] z, byte[] significance, double zThreshold) {
      this.z = z;
      this.significance = significance;
      this.zThreshold = zThreshold;
    }

    /** One statistic per value. */
    float[] z() {
      return z;
    }

    /** Per value: +1 significantly up, -1 down, 0 neither. */
    byte[] significance() {
      return significance;
    }

    /**
     * The |z| from which a value counts as significant here: the smallest |z| among significant
     * values, or, when none is, the |z| a single value would need (p = level / N).
     */
    double zThreshold() {
      return zThreshold;
    }
  }

  Result result(double level) {
    float[] mu = baseline.meanView();
    float[] sigma2 = baseline.varianceView();
    int n = baseline.count();
    int values = mean.length;
    float[] z = new float[values];
    double[] p = new double[values];
    for (int k = 0; k < values; k++) {
      double batchVariance = count > 1 ? m2[k] / (count - 1) : sigma2[k];
      // the baseline is kept in float: compare at float precision, and never trust less than its resolution
      float batchMean = (float) mean[k];
      double resolution = Math.ulp(Math.max(Math.abs(batchMean), Math.abs(mu[k])));
      double variance = Math.max(Math.max(batchVariance, sigma2[k]) / count + sigma2[k] / (double) n,
          resolution * resolution);
      double diff = (double) batchMean - mu[k];
      double zk;
      if (variance > 0) {
        zk = Math.max(-Z_CAP, Math.min(Z_CAP, diff / Math.sqrt(variance)));
      } else {
        zk = diff == 0 ? 0 : Math.copySign(Z_CAP, diff);
      }
      z[k] = (float) zk;
      p[k] = Distributions.twoSidedNormalPValue(zk);
    }
    double cutoff = benjaminiHochbergCutoff(p, level);
    byte[] significance = new byte[values];
    double smallestSignificant = Double.POSITIVE_INFINITY;
    for (int k = 0; k < values; k++) {
      if (p[k] <= cutoff) {
        significance[k] = (byte) (z[k] > 0 ? 1 : -1);
        smallestSignificant = Math.min(smallestSignificant, Math.abs(z[k]));
      }
    }
    double threshold = Double.isInfinite(smallestSignificant) ? zFor(level / values) : smallestSignificant;
    return new Result(z, significance, threshold);
  }

  /**
   * The largest p-value that Benjamini–Hochberg rejects at {@code level}: the largest p(i) with
   * p(i) ≤ level · i / N among the sorted p-values, or -1 when none is rejected.
   */
  static double benjaminiHochbergCutoff(double[] pValues, double level) {
    double[] sorted = pValues.clone();
    Arrays.sort(sorted);
    int values = sorted.length;
    for (int i = values; i >= 1; i--) {
      if (sorted[i - 1] <= level * i / values) {
        return sorted[i - 1];
      }
    }
    return -1;
  }

  /** The |z| whose two-sided normal p-value is {@code p} (bisection; p in (0, 1]). */
  static double zFor(double p) {
    double lo = 0;
    double hi = 40;
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (Distributions.twoSidedNormalPValue(mid) > p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
