package org.drift4j;

/** Two-sample Kolmogorov–Smirnov test with an exact (simulated rank) null. */
final class KsTestPolicy implements DriftPolicy {

  private final double alpha;
  private final RankNull nullDistribution;

  /**
   * @param samples simulated null batches per batch size, or 0 to choose them for alpha
   *     ({@link RankNull#samplesFor})
   */
  KsTestPolicy(double alpha, int samples, long seed) {
    this.alpha = Checks.requireOpenUnit("alpha", alpha);
    boolean chosen = samples == 0;
    int count = chosen ? RankNull.samplesFor(alpha) : samples;
    RankNull.requireResolvable("ksTest", alpha, count, chosen);
    this.nullDistribution = new RankNull((n, m) -> NullArrangement::ksDistance, count, seed);
  }

  /** The null distribution, for tests. */
  RankNull nullDistribution() {
    return nullDistribution;
  }

  @Override
  public String name() {
    return "ksTest(alpha=" + alpha + ")";
  }

  @Override
  public PolicyDecision decide(double[] batchErrors, Baseline baseline) {
    Checks.requireErrors(batchErrors);
    RankSample sample = RankSample.of(batchErrors, baseline.sortedErrorsView());
    double d = distance(sample);
    double p = nullDistribution.pValue(d, sample.baselineSize(), sample.batchSize());
    return new PolicyDecision(p <= alpha, d, p, alpha, "KS distance D=" + Decimals.fixed(d, 4, false));
  }

  /** sup |F_batch − F_baseline|, evaluated at the batch's jumps. */
  static double distance(RankSample s) {
    int m = s.batchSize();
    double n = s.baselineSize();
    double d = 0;
    for (int j = 0; j < m; j++) {
      d = Math.max(d, (j + 1.0) / m - s.atOrBelow(j) / n);
      d = Math.max(d, s.below(j) / n - (double) j / m);
    }
    return d;
  }

  @Override
  public String toString() {
    return name();
  }
}
