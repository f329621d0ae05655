package org.drift4j;

/** The default policy; see {@link DriftPolicy#rankTest(double, int)} for the statistics. */
final class CombinedRankTest implements DriftPolicy {

  /** Upper-tail levels; 0 stands for k = 1, the baseline's maximum. */
  static final double[] UPPER_FRACTIONS = {0.1, 0.01, 0.001, 0};
  static final double[] LOWER_FRACTIONS = {0.1, 0.01};
  /** Shares of the false-alarm budget: location, all upper tails, all lower tails. */
  static final double LOCATION_WEIGHT = 0.5;
  static final double UPPER_WEIGHT = 0.35;
  static final double LOWER_WEIGHT = 0.15;
  /** The smallest baseline the test accepts. */
  static final int MIN_BASELINE = 20;
  /** The memory the beta-binomial tables may hold: 32 MiB, 48 (m + 2) bytes per batch size. */
  static final long TAILS_CACHE_BYTES = 32L << 20;

  private final double alpha;
  private final int samples;
  private final RankNull nullDistribution;
  private final SizedCache<Tails> tails = new SizedCache<>(TAILS_CACHE_BYTES, Tails::bytes);

  /**
   * @param samples simulated null batches per batch size, or 0 to choose them for alpha
   *     ({@link RankNull#samplesFor})
   */
  CombinedRankTest(double alpha, int samples, long seed) {
    this.alpha = Checks.requireOpenUnit("alpha", alpha);
    boolean chosen = samples == 0;
    this.samples = chosen ? RankNull.samplesFor(alpha) : Checks.requireAtLeast("calibrationSamples", samples, 1000);
    RankNull.requireResolvable("rankTest", alpha, this.samples, chosen);
    this.nullDistribution = new RankNull((n, m) -> {
      Tails t = tails(n, m);
      return s -> -Math.log(evaluate(s, t).score);
    }, this.samples, seed);
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
    Evaluation e = evaluate(sample, tails(sample.baselineSize(), sample.batchSize()));
    double statistic = -Math.log(e.score);
    double p = nullDistribution.pValue(statistic, sample.baselineSize(), sample.batchSize());
    return new PolicyDecision(p <= alpha, statistic, p, alpha, e.describe(sample.batchSize()));
  }

  /** Component p-values below this are treated as equal, so that the statistic stays finite. */
  private static final double SMALLEST_P = 1e-300;

  /** The component with the smallest weighted p-value; the same code for observed and simulated ranks. */
  private static Evaluation evaluate(RankCounts s, Tails t) {
    int n = s.baselineSize();
    int m = s.batchSize();
    double u = s.rankSum();
    double z = (u - 0.5 * m * n) / Math.sqrt(m * (double) n * (n + m + 1) / 12.0);
    double pLocation = Math.max(SMALLEST_P, Distributions.twoSidedNormalPValue(z));
    Evaluation best = new Evaluation(pLocation / LOCATION_WEIGHT, pLocation, "location", z, 0, 0);
    double upperWeight = UPPER_WEIGHT;
    double lowerWeight = LOWER_WEIGHT;

    for (int j = 0; j < t.upperK.length; j++) {
      int k = t.upperK[j];
      int x = s.batchAbove(k);
      double p = Math.max(SMALLEST_P, t.upperTail[j][x]);
      if (p / upperWeight < best.score) {
        best = new Evaluation(p / upperWeight, p, "upper", t.upperFraction[j], x, k);
      }
    }
    for (int j = 0; j < t.lowerK.length; j++) {
      int k = t.lowerK[j];
      int x = s.batchBelow(k);
      double p = Math.max(SMALLEST_P, t.lowerTail[j][x]);
      if (p / lowerWeight < best.score) {
        best = new Evaluation(p / lowerWeight, p, "lower", t.lowerFraction[j], x, k);
      }
    }
    return best;
  }

  private Tails tails(int n, int m) {
    long key = ((long) n << 32) | m;
    Tails cached = tails.get(key);
    return cached != null ? cached : tails.putIfAbsent(key, new Tails(n, m));
  }

  /** Simulated null batches per batch size. */
  int samples() {
    return samples;
  }

  /** The null distribution, for tests. */
  RankNull nullDistribution() {
    return nullDistribution;
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

    /** The bytes the tables hold. */
    long bytes() {
      long b = 64;
      for (double[] table : upperTail) {
        b += 16 + 8L * table.length;
      }
      for (double[] table : lowerTail) {
        b += 16 + 8L * table.length;
      }
      return b;
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
