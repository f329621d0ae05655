package org.drift4j;

import java.util.Arrays;
import java.util.List;

/**
 * The monitor's statistic: a weighted sum of Shiryaev–Roberts statistics of rank likelihood
 * ratios, one per {@link RankAlternative}. Per image of rank r, for every component k:
 *
 * <pre>
 *   S_k ← (w_k + S_k) · Λ_k(r)        (w_k the normalised weight)
 *   C_k ← max(w_k, C_k) · Λ_k(r)      (the largest single term of S_k)
 *   alarm when Σ_k S_k ≥ A
 * </pre>
 *
 * S_k / w_k is the Shiryaev–Roberts statistic Σ_j Π_{i=j..t} Λ_k(r_i): the likelihood ratio of
 * "the stream follows alternative k since some time j" against "no change", summed over j. On
 * clean images, averaged over baselines, each Λ_k has mean 1 and the sum minus t is a martingale;
 * given one baseline it is not (the baseline's own sampling error tilts the mean of Λ_k), which is
 * why A is calibrated over baselines ({@link MonitorThresholds}) rather than set to the expected
 * run time. C_k / w_k is the exponential of component k's CUSUM; the time its current term began
 * is the change-point estimate of the component that raised the alarm.
 *
 * <p>Cost per image: two multiply-adds per component from one table row. Not thread-safe: the
 * monitor updates it under its lock.
 */
final class ShiryaevRoberts {

  private final int n;
  private final int components;
  /** lr[r * K + k] = Λ_k(r). */
  private final double[] lr;
  private final double[] weights;
  private final List<RankAlternative> alternatives;
  private final String id;
  private final double threshold;
  private final double[] s;
  private final double[] c;
  /** For each component, the image count at which its CUSUM term began (1-based since reset). */
  private final long[] start;
  private long t;

  ShiryaevRoberts(int n, List<RankAlternative> alternatives, double threshold) {
    this.n = n;
    this.alternatives = List.copyOf(alternatives);
    this.id = MonitorCalibrationCache.statisticId(alternatives);
    this.components = alternatives.size();
    this.lr = table(n, alternatives);
    this.weights = weights(alternatives);
    this.threshold = threshold;
    this.s = new double[components];
    this.c = new double[components];
    this.start = new long[components];
  }

  /** The likelihood ratios of every component, interleaved by rank. */
  static double[] table(int n, List<RankAlternative> alternatives) {
    int k = alternatives.size();
    double[] table = new double[(n + 1) * k];
    for (int j = 0; j < k; j++) {
      double[] ratios = alternatives.get(j).likelihoodRatios(n);
      for (int r = 0; r <= n; r++) {
        table[r * k + j] = ratios[r];
      }
    }
    return table;
  }

  static double[] weights(List<RankAlternative> alternatives) {
    double total = alternatives.stream().mapToDouble(RankAlternative::weight).sum();
    return alternatives.stream().mapToDouble(a -> a.weight() / total).toArray();
  }

  /**
   * Adds one image of rank {@code rank} (0..n).
   *
   * @return whether Σ_k S_k reached the threshold
   */
  boolean update(int rank) {
    t++;
    double sum = 0;
    int row = rank * components;
    for (int k = 0; k < components; k++) {
      double l = lr[row + k];
      double sk = (weights[k] + s[k]) * l;
      s[k] = sk;
      sum += sk;
      double ck = c[k];
      if (ck <= weights[k]) {
        ck = weights[k];
        start[k] = t;
      }
      c[k] = ck * l;
    }
    return sum >= threshold;
  }

  /** {@return Σ_k S_k} */
  double statistic() {
    double sum = 0;
    for (double v : s) {
      sum += v;
    }
    return sum;
  }

  double threshold() {
    return threshold;
  }

  /** {@return the statistic's id: its version and alternatives} */
  String id() {
    return id;
  }

  /** The component with the largest S_k: what the stream looks most like. */
  int leadingComponent() {
    int best = 0;
    for (int k = 1; k < components; k++) {
      if (s[k] > s[best]) {
        best = k;
      }
    }
    return best;
  }

  RankAlternative alternative(int component) {
    return alternatives.get(component);
  }

  /** Images since reset at which the leading component's CUSUM term began (1-based), or 0 before any image. */
  long changePoint() {
    return t == 0 ? 0 : start[leadingComponent()];
  }

  /** Images since reset. */
  long images() {
    return t;
  }

  int baselineSize() {
    return n;
  }

  void reset() {
    Arrays.fill(s, 0);
    Arrays.fill(c, 0);
    Arrays.fill(start, 0);
    t = 0;
  }

  /** The state, for snapshots: t, then S, C and the term starts of every component. */
  double[][] state() {
    double[] starts = new double[components];
    for (int k = 0; k < components; k++) {
      starts[k] = start[k];
    }
    return new double[][] {{t}, s.clone(), c.clone(), starts};
  }

  /**
   * Restores a {@link #state()}.
   *
   * @throws IllegalArgumentException if it does not fit this statistic
   */
  void restore(double[][] state) {
    if (state.length != 4 || state[0].length != 1 || state[1].length != components || state[2].length != components
        || state[3].length != components) {
      throw new IllegalArgumentException("state must hold the images and " + components + " values per component, but"
          + " held " + Arrays.deepToString(new int[][] {{state.length}}));
    }
    for (double[] part : state) {
      for (double v : part) {
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException("state values must be finite and non-negative, but one was " + v);
        }
      }
    }
    t = (long) state[0][0];
    System.arraycopy(state[1], 0, s, 0, components);
    System.arraycopy(state[2], 0, c, 0, components);
    for (int k = 0; k < components; k++) {
      start[k] = (long) state[3][k];
    }
  }
}
