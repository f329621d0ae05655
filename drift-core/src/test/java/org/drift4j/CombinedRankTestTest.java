package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Calibration and power of the default policy on synthetic error distributions: log-normal
 * errors, skewed like real reconstruction errors.
 */
class CombinedRankTestTest {

  private static final double ALPHA = 0.05;
  private static final int BASELINE_SIZE = 2000;
  private static final double SIGMA = 0.35;

  private static double[] errors(SplittableRandom r, int count, double median) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = median * Math.exp(SIGMA * SyntheticImages.gaussian(r));
    }
    return out;
  }

  private static Baseline baseline(SplittableRandom r) {
    return Baseline.of(errors(r, BASELINE_SIZE, 0.1), ReconstructionError.BINARY_CROSS_ENTROPY,
        ImageShape.grey(28, 28), "fp", Instant.EPOCH);
  }

  /** Three binomial standard errors above α: the most a calibrated test may show by chance. */
  private static double upperBound(int trials) {
    return ALPHA + 3 * Math.sqrt(ALPHA * (1 - ALPHA) / trials);
  }

  @ParameterizedTest(name = "batch size {0}")
  @ValueSource(ints = {5, 20, 100, 1000})
  void falseAlarmRateOnCleanBatchesStaysAtAlpha(int batchSize) {
    DriftPolicy policy = DriftPolicy.rankTest(ALPHA);
    SplittableRandom r = new SplittableRandom(batchSize);
    int trials = 4000;
    int alarms = 0;
    Baseline baseline = null;
    for (int t = 0; t < trials; t++) {
      if (t % 50 == 0) {
        baseline = baseline(r); // average over baselines too: the test must absorb their sampling error
      }
      PolicyDecision d = policy.decide(errors(r, batchSize, 0.1), baseline);
      assertThat(d.pValue()).isBetween(0.0, 1.0);
      alarms += d.drift() ? 1 : 0;
    }
    double rate = alarms / (double) trials;
    assertThat(rate).as("false-alarm rate at m=%d", batchSize).isLessThanOrEqualTo(upperBound(trials));
  }

  @Test
  void theReferenceRuleIsNotCalibratedOnSmallBatches() {
    DriftPolicy rule = DriftPolicy.relativeIncrease(0.10);
    SplittableRandom r = new SplittableRandom(7);
    Baseline baseline = baseline(r);
    int alarms = 0;
    for (int t = 0; t < 2000; t++) {
      alarms += rule.decide(errors(r, 5, 0.1), baseline).drift() ? 1 : 0;
    }
    assertThat(alarms / 2000.0).isGreaterThan(0.2);
  }

  private static double power(DriftPolicy policy, int batchSize, double foreignFraction, double foreignMedian,
      double cleanMedian, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int trials = 400;
    int hits = 0;
    Baseline baseline = null;
    for (int t = 0; t < trials; t++) {
      if (t % 50 == 0) {
        baseline = baseline(r);
      }
      int foreign = (int) Math.round(foreignFraction * batchSize);
      double[] batch = errors(r, batchSize, cleanMedian);
      double[] shifted = errors(r, foreign, foreignMedian);
      System.arraycopy(shifted, 0, batch, 0, foreign);
      hits += policy.decide(batch, baseline).drift() ? 1 : 0;
    }
    return hits / (double) trials;
  }

  @ParameterizedTest(name = "batch size {0}")
  @ValueSource(ints = {10, 20, 50})
  void aMinorityOfForeignImagesIsCaughtMoreOftenThanByKs(int batchSize) {
    double rank = power(DriftPolicy.rankTest(ALPHA), batchSize, 0.1, 0.4, 0.1, 11);
    double ks = power(DriftPolicy.ksTest(ALPHA), batchSize, 0.1, 0.4, 0.1, 11);
    assertThat(rank).as("rank test power").isGreaterThan(0.7);
    assertThat(rank - ks).as("rank test %.3f vs KS %.3f", rank, ks).isGreaterThan(0.5);
  }

  @Test
  void aWholeBatchWhoseErrorsFallIsCaught() {
    double rank = power(DriftPolicy.rankTest(ALPHA), 30, 0, 0, 0.08, 12);
    double rule = power(DriftPolicy.relativeIncrease(0.1), 30, 0, 0, 0.08, 12);
    assertThat(rank).isGreaterThan(0.8);
    assertThat(rule).isZero();
  }

  @Test
  void aWholeBatchShiftUpIsCaughtAtLeastAsOftenAsByKs() {
    double rank = power(DriftPolicy.rankTest(ALPHA), 100, 0, 0, 0.11, 13);
    double ks = power(DriftPolicy.ksTest(ALPHA), 100, 0, 0, 0.11, 13);
    assertThat(rank).isGreaterThan(0.5);
    assertThat(rank).as("rank test vs KS (%.3f)", ks).isGreaterThanOrEqualTo(ks - 0.05);
  }

  @Test
  void theDecisionNamesTheComponentThatFired() {
    SplittableRandom r = new SplittableRandom(3);
    Baseline b = baseline(r);
    double[] batch = errors(r, 20, 0.1);
    batch[0] = 10 * b.max();
    batch[1] = 11 * b.max();
    batch[2] = 12 * b.max();
    PolicyDecision d = DriftPolicy.rankTest(ALPHA).decide(batch, b);
    assertThat(d.drift()).isTrue();
    assertThat(d.detail()).isEqualTo("3 of 20 errors above the baseline's maximum (k=1; component p=8.31e-07)");
    assertThat(d.threshold()).isEqualTo(ALPHA);
    assertThat(d.statistic()).isPositive();
  }

  @Test
  void aLargeBatchEntirelyBeyondTheBaselineGetsTheSmallestPValue() {
    SplittableRandom r = new SplittableRandom(8);
    Baseline b = baseline(r);
    for (double factor : new double[] {10, 0.01}) {
      double[] batch = errors(r, BASELINE_SIZE, 0.1);
      for (int i = 0; i < batch.length; i++) {
        batch[i] *= factor;
      }
      PolicyDecision d = DriftPolicy.rankTest(ALPHA).decide(batch, b);
      assertThat(d.drift()).as("errors x%s", factor).isTrue();
      assertThat(d.pValue()).isEqualTo(1.0 / (RankNull.DEFAULT_SAMPLES + 1));
      assertThat(d.statistic()).isFinite();
    }
  }

  @Test
  void pValuesAreReproducible() {
    SplittableRandom r = new SplittableRandom(4);
    Baseline b = baseline(r);
    double[] batch = errors(r, 37, 0.105);
    assertThat(DriftPolicy.rankTest(ALPHA).decide(batch, b)).isEqualTo(DriftPolicy.rankTest(ALPHA).decide(batch, b));
  }

  @Test
  void badParametersAreRefusedByName() {
    assertThatThrownBy(() -> DriftPolicy.rankTest(0)).hasMessage("alpha must be greater than 0 and lower than 1, but was 0.0");
    assertThatThrownBy(() -> DriftPolicy.rankTest(1.2)).hasMessage("alpha must be greater than 0 and lower than 1, but was 1.2");
    assertThatThrownBy(() -> DriftPolicy.rankTest(0.01, 10)).hasMessage("calibrationSamples must be at least 1000, but was 10");
    Baseline small = Baseline.of(new double[] {0.1, 0.2, 0.3}, ReconstructionError.MEAN_SQUARED_ERROR,
        ImageShape.grey(1, 1), "fp", Instant.EPOCH);
    assertThatThrownBy(() -> DriftPolicy.rankTest(0.01).requireCompatible(small))
        .hasMessage("rankTest needs a baseline of at least 20 errors, but it held 3");
  }

  @Test
  void anAlphaBelowWhatTheSimulatedNullResolvesIsRefusedNamingTheSmallest() {
    assertThatThrownBy(() -> DriftPolicy.rankTest(Double.MIN_VALUE))
        .hasMessage("alpha must be at least 1.0E-5 (the smallest false-alarm rate rankTest calibrates: it simulates"
            + " at most 1000000 null batches and needs 10 of them at or beyond the threshold), but was 4.9E-324");
    assertThatThrownBy(() -> DriftPolicy.rankTest(0.001, 1000))
        .hasMessage("alpha must be at least 0.01 with 1000 calibrationSamples (10 simulated null batches must lie at"
            + " or beyond the threshold), but was 0.001");
    assertThat(DriftPolicy.MIN_ALPHA).isEqualTo(1e-5);
    assertThat(DriftPolicy.rankTest(DriftPolicy.MIN_ALPHA).name()).isEqualTo("rankTest(alpha=1.0E-5)");
  }

  @Test
  void aSmallAlphaIsSimulatedDeepEnoughThatAClearDriftReachesIt() {
    // the CLI's case: 50 all-white images against a baseline of 400; 10,000 samples cannot give p < 1e-4
    Baseline b = Baseline.of(errors(new SplittableRandom(6), 400, 0.1), ReconstructionError.BINARY_CROSS_ENTROPY,
        ImageShape.grey(28, 28), "fp", Instant.EPOCH);
    double[] white = new double[50];
    java.util.Arrays.fill(white, 10 * b.max());
    CombinedRankTest policy = (CombinedRankTest) DriftPolicy.rankTest(5e-5);
    assertThat(policy.samples()).isEqualTo(1_000_000);
    PolicyDecision d = policy.decide(white, b);
    assertThat(d.pValue()).isEqualTo(1.0 / 1_000_001);
    assertThat(d.drift()).isTrue();
    assertThat(((CombinedRankTest) DriftPolicy.rankTest(0.001)).samples()).isEqualTo(100_000);
    assertThat(((CombinedRankTest) DriftPolicy.rankTest(0.01)).samples()).isEqualTo(10_000);
  }

  @Test
  void manyBatchSizesStayCachedWithinTheMemoryBudget() {
    SplittableRandom r = new SplittableRandom(7);
    Baseline b = baseline(r);
    CombinedRankTest policy = (CombinedRankTest) DriftPolicy.rankTest(ALPHA);
    for (int m = 1; m <= 100; m++) {
      policy.decide(errors(r, m, 0.1), b);
    }
    // the old cache held 64 sizes, so a service cycling through 65 simulated on every check
    assertThat(policy.nullDistribution().cache().size()).isEqualTo(100);
    assertThat(policy.nullDistribution().cache().bytes()).isLessThanOrEqualTo(RankNull.CACHE_BYTES);
  }

  @Test
  void badBatchErrorsAreRefused() {
    Baseline b = baseline(new SplittableRandom(5));
    DriftPolicy p = DriftPolicy.rankTest(ALPHA);
    assertThatThrownBy(() -> p.decide(new double[0], b)).hasMessage("batchErrors must hold at least 1 value, but was empty");
    assertThatThrownBy(() -> p.decide(new double[] {0.1, Double.NaN}, b))
        .hasMessage("batchErrors[1] must be finite and non-negative, but was NaN");
  }
}
