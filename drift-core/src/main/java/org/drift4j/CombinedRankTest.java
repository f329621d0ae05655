package org.drift4j;

import java.util.LinkedHashMap;
import java.util.Map;

/** The default policy; see {@link DriftPolicy#rankTest(double, int)} for the statistics. */
final class CombinedRankTest implements DriftPolicy {

  /** Upper-tail levels; 0 stands for k = 1, the baseline's maximum. */
  static final double[] UPPER_FRACTIONS = {0.1, 0.01, 0.001, 0};
  static final double[] LOWER_FRACTIONS = {0.1, 0.01};
  /** Shares of the false-alarm budget: location, all upper tails, all lower tails. */
  static final double LOCATION_WEIGHT = 0.5;
  static final double UPPER_WEIGHT = 0.35;
  static final double LOWER_WEIGHT = 0.15;
  private static final int MIN_BASELINE = 20;
  private static final int MAX_CACHED = 64;

  private final double alpha;
  private final int samples;
  private final RankNull nullDistribution;
  private final Map<Long, Tails> tails = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Tails> eldest) {
      return size() > MAX_CACHED;
    }
  };

  CombinedRankTest(double alpha, int samples, long seed) {
    this.alpha = Checks.requireOpenUnit("alpha", alpha);
    this.samples = Checks.requireAtLeast("calibrationSamples", samples, 1000);
    this.nullDistribution = new RankNull(s -> -Math.log(evaluate(s).score), samples, seed);
  }

  @Override
  public String name() {
    return "rankTest(alpha=" + alpha + ")";
  }

  @Override
  public void requireCompatible(Baseline baseline) {
    if (baseline.count() < MIN_BASELINE) {
      throw new IllegalArgumentException("rankTest needs a baseline of at least " + MIN_BASELINE
          + " errors, but it held " + baseline.count());
    }
  }

  @Override
  public PolicyDecision decide(double[] batchErrors, Baseline baseline) {
    Checks.requireErrors(batchErrors);
    requireCompatible(baseline);
    RankSample sample = RankSample.of(batchErrors, baseline.sortedErrorsView());
    Evaluation e = evaluate(sample);
    double statistic = -Math.log(e.score);
    double p = nullDistribution.pValue(statistic, sample.baselineSize(), sample.batchSize());
    return new PolicyDecision(p <= alpha, statistic, p, alpha, e.describe(sample.batchSize()));
  }

  /** Component p-values below this are treated as equal, so that the statistic stays finite. */
  private static final double SMALLEST_P = 1e-300;

  private Evaluation evaluate(RankSample s) {
    int n = s.baselineSize();
    int m = s.batchSize();
    Tails t = tails(n, m);

    double u = 0;
    for (int i = 0; i < m; i++) {
      u += s.midRank(i);
    }
    double z = (u - 0.5 * m * n) / Math.sqrt(m * (double) n * (n + m + 1) / 12.0);
    double pLocation = Math.max(SMALLEST_P, Distributions.twoSidedNormalPValue(z));
    Evaluation best = new Evaluation(pLocation / LOCATION_WEIGHT, pLocation, "location", z, 0, 0);
    double upperWeight = UPPER_WEIGHT;
    double lowerWeight = LOWER_WEIGHT;

    for (int j = 0; j < t.upperK.length; j++) {
      int k = t.upperK[j];
      int x = 0;
      for (int i = m - 1; i >= 0 && s.below(i) > n - k; i--) {
        x++;
      }
      double p = Math.max(SMALLEST_P, t.upperTail[j][x]);
      if (p / upperWeight < best.score) {
        best = new Evaluation(p / upperWeight, p, "upper", t.upperFraction[j], x, k);
      }
    }
    for (int j = 0; j < t.lowerK.length; j++) {
      int k = t.lowerK[j];
      int x = 0;
      for (int i = 0; i < m && s.atOrBelow(i) < k; i++) {
        x++;
      }
      double p = Math.max(SMALLEST_P, t.lowerTail[j][x]);
      if (p / lowerWeight < best.score) {
        best = new Evaluation(p / lowerWeight, p, "lower", t.lowerFraction[j], x, k);
      }
    }
    return best;
  }

  private Tails tails(int n, int m) {
    long key = ((long) n << 32) | m;
    synchronized (tails) {
      return tails.computeIfAbsent(key, unused -> new Tails(n, m));
    }
  }

  @Override
  public String toString() {
    return name() + "[calibrationSamples=" + samples + "]";
  }

  /** The component with the smallest weighted p-value (p / weight). */
  private record Evaluation(double score, double p, String component, double value, int count, int k) {
    String describe(int m) {
      if (component.equals("location")) {
        return "location shift z=" + Decimals.fixed(value, 3, true) + " (component p=" + Decimals.significant(p, 3) + ")";
      }
      boolean upper = component.equals("upper");
      String where = k == 1
          ? (upper ? "above the baseline's maximum" : "below the baseline's minimum")
          : (upper ? "above the baseline's top " : "below the baseline's bottom ") + Decimals.significant(100 * value, 3) + "%";
      return count + " of " + m + " errors " + where + " (k=" + k + "; component p=" + Decimals.significant(p, 3) + ")";
    }
  }

  /** Beta-binomial tail tables for one (n, m). */
  private static final class Tails {
    final int[] upperK;
    final double[] upperFraction;
    final double[][] upperTail;
    final int[] lowerK;
    final double[] lowerFraction;
    final double[][] lowerTail;

    Tails(int n, int m) {
      upperFraction = distinctFractions(UPPER_FRACTIONS, n);
      upperK = ks(upperFraction, n);
      upperTail = tables(upperK, n, m);
      lowerFraction = distinctFractions(LOWER_FRACTIONS, n);
      lowerK = ks(lowerFraction, n);
      lowerTail = tables(lowerK, n, m);
    }

    /** The fractions whose k differ, in order (small baselines make several levels coincide). */
    private static double[] distinctFractions(double[] fractions, int n) {
      double[] kept = new double[fractions.length];
      int count = 0;
      for (double f : fractions) {
        if (count == 0 || k(f, n) != k(kept[count - 1], n)) {
          kept[count++] = f;
        }
      }
      return java.util.Arrays.copyOf(kept, count);
    }

    private static int[] ks(double[] fractions, int n) {
      return java.util.Arrays.stream(fractions).mapToInt(f -> k(f, n)).toArray();
    }

    private static int k(double f, int n) {
      return f == 0 ? 1 : (int) Math.max(1, Math.round(f * n));
    }

    private static double[][] tables(int[] ks, int n, int m) {
      double[][] out = new double[ks.length][];
      for (int j = 0; j < ks.length; j++) {
        out[j] = Distributions.betaBinomialUpperTails(m, ks[j], n + 1.0 - ks[j]);
      }
      return out;
    }
  }
}
