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

  /**
   * The smallest false-alarm rate {@link #rankTest(double)} and {@link #ksTest(double)} accept:
   * their simulated null distribution must hold at least 10 batches at or beyond the threshold,
   * and they simulate at most 1,000,000.
   */
  double MIN_ALPHA = RankNull.MIN_ALPHA;

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
   * {@link #rankTest(double, int)} with as many simulated null batches per batch size as
   * {@code alpha} needs: max(10,000, ceil(100 / α)), so that about 100 null batches lie beyond the
   * threshold (10,000 for α = 0.01, 100,000 for α = 0.001), at most 1,000,000 (α below 10⁻⁴; down
   * to {@link #MIN_ALPHA}, where 10 remain). The simulation's cost grows with the count: see
   * {@link #rankTest(double, int)}.
   *
   * @param alpha the false-alarm rate, in [{@link #MIN_ALPHA}, 1)
   * @return the policy
   * @throws IllegalArgumentException if {@code alpha} is not in [{@link #MIN_ALPHA}, 1)
   */
  static DriftPolicy rankTest(double alpha) {
    return new CombinedRankTest(alpha, 0, RankNull.DEFAULT_SEED);
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
   * drawing {@code calibrationSamples} uniformly random arrangements of the n baseline and m batch
   * values among the n + m pooled rank positions (exact under exchangeability, no distributional
   * assumption, no approximation for large m); the reported p-value is
   * (1 + #{T_null ≥ T}) / (samples + 1), so no p-value is below 1 / (samples + 1), and an alpha
   * with fewer than 10 of the samples beyond it is refused. The weights therefore only decide
   * which evidence counts most; the false-alarm rate is α, up to the simulation error of order
   * sqrt(α / samples), for every batch size and every baseline size, including the sampling
   * error of the baseline itself, which a test against fixed thresholds ignores.
   *
   * <h4>Cost</h4>
   * One simulated batch places the smaller of the two samples in a bit set of the pool (Floyd's
   * algorithm) and reads every component from it without sorting, so it costs about min(n, m)
   * random numbers plus (n + m) / 64 words. The first check of a batch size, measured on the
   * development machine (2-core AMD EPYC, n = 10,000, single runs): with 10,000 samples
   * (α ≥ 0.01) 0.16 s for m = 100, 0.18 s for m = 1,000, 1.2 s for m = 10,000 and 1.0 s for
   * m = 100,000 (61 s when every simulated batch was sorted); with 1,000,000 samples (α = 10⁻⁵)
   * 2 s, 9 s, 68 s and 53 s. Simulation is seeded, so p-values are reproducible. Later checks of
   * a size only rank the batch (0.1 ms for m = 100, 30 ms for m = 100,000): the null
   * distributions are cached per batch size within 64 MiB per policy (80 kB each at 10,000
   * samples, so about 800 batch sizes; 8 MB at 1,000,000), least recently used dropped first,
   * and the component tables within 32 MiB.
   *
   * <p>{@link PolicyDecision#statistic()} is T; {@link PolicyDecision#detail()} names the
   * component with the smallest p-value.
   *
   * @param alpha the false-alarm rate, in (0, 1), at least 10 / {@code calibrationSamples}
   * @param calibrationSamples simulated null batches per batch size, at least 1,000
   * @return the policy
   * @throws IllegalArgumentException if a parameter is out of range, or fewer than 10 of the
   *     simulated null batches would lie beyond {@code alpha}
   */
  static DriftPolicy rankTest(double alpha, int calibrationSamples) {
    return new CombinedRankTest(alpha, calibrationSamples, RankNull.DEFAULT_SEED);
  }

  /**
   * The two-sample Kolmogorov–Smirnov test, with its p-value calibrated exactly for (n, m) by the
   * same rank simulation as {@link #rankTest(double)}, as many samples as alpha needs. Statistic:
   * the KS distance D. Provided for comparison: it loses power when only a few images of a batch
   * are foreign. Each simulated batch scans the whole pool, (n + m) steps.
   *
   * @param alpha the false-alarm rate, in [{@link #MIN_ALPHA}, 1)
   * @return the policy
   * @throws IllegalArgumentException if {@code alpha} is not in [{@link #MIN_ALPHA}, 1)
   */
  static DriftPolicy ksTest(double alpha) {
    return new KsTestPolicy(alpha, 0, RankNull.DEFAULT_SEED);
  }
}
