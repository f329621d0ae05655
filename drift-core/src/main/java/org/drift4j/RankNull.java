package org.drift4j;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Monte Carlo null distribution of a rank statistic. Under the null hypothesis the positions of
 * the m batch values among the n + m pooled values are a uniformly random m-subset, whatever the
 * error distribution; so the null distribution depends only on (n, m) and is simulated once per
 * pair ({@link NullArrangement}) and cached, within {@link #CACHE_BYTES} bytes. Thread-safe.
 */
final class RankNull {

  /** The fewest simulated null batches per (baseline size, batch size) pair. */
  static final int DEFAULT_SAMPLES = 10_000;

  /** The most simulated null batches per pair (8 MB of scores). */
  static final int MAX_SAMPLES = 1_000_000;

  /** Null batches wanted at or beyond the alpha threshold when the sample count is chosen for alpha. */
  static final int TARGET_EXCEEDANCES = 100;

  /** The fewest null batches at or beyond the threshold that an alpha is accepted with. */
  static final int MIN_EXCEEDANCES = 10;

  /** The smallest alpha that {@link #samplesFor} resolves: 10 of 1,000,000 null batches. */
  static final double MIN_ALPHA = (double) MIN_EXCEEDANCES / MAX_SAMPLES;

  /**
   * The memory the cached null distributions of one policy may hold: 64 MiB, about 800 batch sizes
   * at 10,000 samples (80 kB each).
   */
  static final long CACHE_BYTES = 64L << 20;

  /** Seed of the null simulation, so that p-values are reproducible run to run. */
  static final long DEFAULT_SEED = 20_261_130L;

  /** A statistic of null arrangements of one (n, m); larger values mean stronger evidence of drift. */
  interface Statistic {
    /** The statistic for arrangements of n baseline and m batch values. */
    ToDoubleFunction<NullArrangement> forSizes(int n, int m);
  }

  private final Statistic statistic;
  private final int samples;
  private final long seed;
  private final SizedCache<double[]> cache;

  /**
   * @param statistic larger values mean stronger evidence of drift
   * @param samples number of simulated null batches per (n, m)
   * @param seed seed of the simulation, so that p-values are reproducible
   */
  RankNull(Statistic statistic, int samples, long seed) {
    this(statistic, samples, seed, CACHE_BYTES);
  }

  RankNull(Statistic statistic, int samples, long seed, long cacheBytes) {
    this.statistic = statistic;
    this.samples = samples;
    this.seed = seed;
    this.cache = new SizedCache<>(cacheBytes, scores -> 16L + 8L * scores.length);
  }

  /**
   * The sample count for {@code alpha}: enough for {@value #TARGET_EXCEEDANCES} null batches at
   * or beyond the threshold, at least {@value #DEFAULT_SAMPLES} and at most {@value #MAX_SAMPLES}.
   */
  static int samplesFor(double alpha) {
    double wanted = Math.ceil(TARGET_EXCEEDANCES / alpha);
    return (int) Math.min(MAX_SAMPLES, Math.max(DEFAULT_SAMPLES, wanted));
  }

  /**
   * Refuses an alpha the simulation cannot resolve: fewer than {@value #MIN_EXCEEDANCES} of
   * {@code samples} null batches would lie at or beyond it (p-values below 1 / (samples + 1) do
   * not exist).
   *
   * @param chosen whether {@code samples} came from {@link #samplesFor} rather than the caller
   */
  static double requireResolvable(String policy, double alpha, int samples, boolean chosen) {
    if (alpha * samples < MIN_EXCEEDANCES) {
      String why = chosen
          ? " (the smallest false-alarm rate " + policy + " calibrates: it simulates at most " + MAX_SAMPLES
              + " null batches and needs " + MIN_EXCEEDANCES + " of them at or beyond the threshold)"
          : " with " + samples + " calibrationSamples (" + MIN_EXCEEDANCES
              + " simulated null batches must lie at or beyond the threshold)";
      throw new IllegalArgumentException("alpha must be at least " + (double) MIN_EXCEEDANCES / samples + why
          + ", but was " + alpha);
    }
    return alpha;
  }

  /** Simulated null batches per (n, m). */
  int samples() {
    return samples;
  }

  /**
   * The Monte Carlo p-value {@code (1 + #{null >= observed}) / (samples + 1)}; with exchangeable
   * data it satisfies {@code P(p <= a) <= a} up to the simulation error.
   */
  double pValue(double observed, int n, int m) {
    if (Double.isNaN(observed)) {
      throw new IllegalArgumentException("observed statistic must not be NaN");
    }
    double[] nullScores = nullScores(n, m);
    // a tolerance for floating-point noise between equal statistics; none for infinities
    double threshold = Double.isInfinite(observed) ? observed : observed - 1e-12 * Math.abs(observed);
    int lo = 0;
    int hi = nullScores.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      // first index with score >= threshold
      if (nullScores[mid] < threshold) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return (1.0 + (nullScores.length - lo)) / (nullScores.length + 1.0);
  }

  /** Simulates (or fetches) the sorted null scores for (n, m). */
  double[] nullScores(int n, int m) {
    long key = ((long) n << 32) | m;
    double[] cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    return cache.putIfAbsent(key, simulate(n, m));
  }

  /** The cache, for tests. */
  SizedCache<double[]> cache() {
    return cache;
  }

  private double[] simulate(int n, int m) {
    SplittableRandom random = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L) ^ ((long) m << 20));
    ToDoubleFunction<NullArrangement> f = statistic.forSizes(n, m);
    NullArrangement arrangement = new NullArrangement(n, m);
    double[] scores = new double[samples];
    for (int s = 0; s < samples; s++) {
      arrangement.draw(random);
      scores[s] = f.applyAsDouble(arrangement);
    }
    Arrays.sort(scores);
    return scores;
  }
}
