package org.drift4j;

/**
 * Decides whether a batch's reconstruction errors have departed from the baseline.
 *
 * <p>Three policies come with the library:
 * <ul>
 *   <li>{@link #rankTest(double)}, the default: a calibrated test that alerts at false-alarm rate
 *       α for every batch size, in both directions, and keeps its power when only a few images of
 *       a batch are foreign;
 *   <li>{@link #relativeIncrease(double)}: the reference experiment's rule on the mean error;
 *   <li>{@link #ksTest(double)}: the two-sample Kolmogorov–Smirnov test, for comparison.
 * </ul>
 *
 * <p>Implementations must be immutable or thread-safe: a detector calls {@link #decide} from many
 * threads at once. Those returned by the factories here are thread-safe.
 */
public interface DriftPolicy {

  /** {@return a short name, used in reports} */
  String name();

  /**
   * Judges one batch.
   *
   * @param batchErrors per-image errors of the batch, at least one, all finite and non-negative
   * @param baseline the baseline, already checked to match the batch's error measure and shape
   * @return the decision
   */
  PolicyDecision decide(double[] batchErrors, Baseline baseline);

  /**
   * Called once when a detector is built, to refuse a baseline this policy cannot use.
   *
   * @param baseline the detector's baseline
   * @throws IllegalArgumentException if the baseline is unusable with this policy
   */
  default void requireCompatible(Baseline baseline) {}

  /**
   * The reference rule: drift when the batch's mean error exceeds the baseline's mean by more than
   * {@code fraction} (0.1 = 10%). Statistic: the relative increase; no p-value. Its false-alarm
   * rate depends on the batch size (high for small batches) and it ignores decreases.
   *
   * @param fraction the allowed relative increase
   * @return the policy
   * @throws IllegalArgumentException if {@code fraction} is not a finite value greater than 0
   */
  static DriftPolicy relativeIncrease(double fraction) {
    return new RelativeIncreasePolicy(fraction);
  }

  /**
   * {@link #rankTest(double, int)} with 10,000 simulated null batches per batch size.
   *
   * @param alpha the false-alarm rate, in (0, 1)
   * @return the policy
   * @throws IllegalArgumentException if {@code alpha} is outside (0, 1)
   */
  static DriftPolicy rankTest(double alpha) {
    return rankTest(alpha, RankNull.DEFAULT_SAMPLES);
  }

  /**
   * The default policy: a combined two-sample rank test of the batch's errors against the
   * baseline's, calibrated exactly for each batch size.
   *
   * <h4>Statistics</h4>
   * Let the baseline hold n errors and the batch m. Every component is computed from the ranks of
   * the batch errors among the baseline errors, so under the null hypothesis (batch images drawn
   * from the same distribution as the validation images, hence exchangeable with them) its
   * distribution does not depend on the error distribution at all.
   * <ol>
   *   <li><b>Location</b> (both directions): the Mann–Whitney statistic U, the sum over the batch
   *       of the number of baseline errors below each batch error (ties count one half),
   *       standardised with its null mean mn/2 and variance mn(n+m+1)/12; component p-value
   *       2(1 − Φ(|z|)). It catches a whole batch shifting up or down (e.g. occluded images whose
   *       error falls).
   *   <li><b>Upper tails</b> at fractions f = 0.1, 0.01 and 0.001 and at the maximum: X, the
   *       number of batch errors above the k-th largest baseline error, k = max(1, round(fn)) (k = 1
   *       for the maximum). Under the null X follows exactly a beta-binomial(m, k, n + 1 − k) law,
   *       and the component p-value is P(X ≥ x). This is what keeps power when only a minority of
   *       the batch is foreign: one image beyond the baseline's largest error is already strong
   *       evidence in a batch of ten (p ≈ m / (n + 1)), where a Kolmogorov–Smirnov distance or a
   *       mean barely moves.
   *   <li><b>Lower tails</b> at f = 0.1 and 0.01: the same count below the k-th smallest baseline
   *       error.
   * </ol>
   * Each component p-value is divided by a weight (location 0.5, each upper tail 0.35, each lower
   * tail 0.15: a whole-batch shift and too-high errors are the common drifts) and the test
   * statistic is T = −ln(min p / w). Its null distribution for the pair (n, m) is simulated by
   * drawing {@code calibrationSamples} uniformly random m-subsets of the n + m pooled rank
   * positions (exact under exchangeability, no distributional assumption) and cached; the
   * reported p-value is (1 + #{T_null ≥ T}) / (samples + 1). The weights therefore only decide
   * which evidence counts most; the false-alarm rate is α, up to the simulation error of order
   * sqrt(α / samples), for every batch size and every baseline size, including the sampling
   * error of the baseline itself, which a test against fixed thresholds ignores. Simulation is
   * seeded, so p-values are reproducible; the first call for a new batch size pays the simulation
   * (about 0.1 s for m = 1,000, n = 10,000), later ones take microseconds.
   *
   * <p>{@link PolicyDecision#statistic()} is T; {@link PolicyDecision#detail()} names the
   * component with the smallest p-value.
   *
   * @param alpha the false-alarm rate, in (0, 1)
   * @param calibrationSamples simulated null batches per batch size, at least 1,000
   * @return the policy
   * @throws IllegalArgumentException if a parameter is out of range
   */
  static DriftPolicy rankTest(double alpha, int calibrationSamples) {
    return new CombinedRankTest(alpha, calibrationSamples, RankNull.DEFAULT_SEED);
  }

  /**
   * The two-sample Kolmogorov–Smirnov test, with its p-value calibrated exactly for (n, m) by the
   * same rank simulation as {@link #rankTest(double)}. Statistic: the KS distance D. Provided for
   * comparison: it loses power when only a few images of a batch are foreign.
   *
   * @param alpha the false-alarm rate, in (0, 1)
   * @return the policy
   * @throws IllegalArgumentException if {@code alpha} is outside (0, 1)
   */
  static DriftPolicy ksTest(double alpha) {
    return new KsTestPolicy(alpha, RankNull.DEFAULT_SAMPLES, RankNull.DEFAULT_SEED);
  }
}
