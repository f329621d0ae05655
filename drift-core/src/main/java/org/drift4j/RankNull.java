package org.drift4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Monte Carlo null distribution of a rank statistic. Under the null hypothesis the positions of
 * the m batch values among the n + m pooled values are a uniformly random m-subset, whatever the
 * error distribution; so the null distribution depends only on (n, m) and is simulated once per
 * pair and cached. Thread-safe.
 */
final class RankNull {

  /** Simulated null batches per (baseline size, batch size) pair, unless a policy asks for more. */
  static final int DEFAULT_SAMPLES = 10_000;

  /** Seed of the null simulation, so that p-values are reproducible run to run. */
  static final long DEFAULT_SEED = 20_261_130L;

  private static final int MAX_CACHED = 64;

  private final ToDoubleFunction<RankSample> statistic;
  private final int samples;
  private final long seed;
  private final Map<Long, double[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, double[]> eldest) {
      return size() > MAX_CACHED;
    }
  };

  /**
   * @param statistic larger values mean stronger evidence of drift
   * @param samples number of simulated null batches per (n, m)
   * @param seed seed of the simulation, so that p-values are reproducible
   */
  RankNull(ToDoubleFunction<RankSample> statistic, int samples, long seed) {
    this.statistic = statistic;
    this.samples = samples;
    this.seed = seed;
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
    synchronized (cache) {
      double[] cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    double[] scores = simulate(n, m);
    synchronized (cache) {
      cache.putIfAbsent(key, scores);
      return cache.get(key);
    }
  }

  private double[] simulate(int n, int m) {
    SplittableRandom random = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L) ^ ((long) m << 20));
    int pool = n + m;
    boolean[] taken = new boolean[pool];
    int[] positions = new int[m];
    int[] ranks = new int[m];
    RankSample sample = new RankSample(ranks, ranks, n);
    double[] scores = new double[samples];
    for (int s = 0; s < samples; s++) {
      // Floyd's algorithm: a uniform m-subset of [0, pool)
      int count = 0;
      for (int j = pool - m; j < pool; j++) {
        int t = random.nextInt(j + 1);
        int pick = taken[t] ? j : t;
        taken[pick] = true;
        positions[count++] = pick;
      }
      Arrays.sort(positions);
      for (int i = 0; i < m; i++) {
        taken[positions[i]] = false;
        ranks[i] = positions[i] - i;
      }
      scores[s] = statistic.applyAsDouble(sample);
    }
    Arrays.sort(scores);
    return scores;
  }
}
