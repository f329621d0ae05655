package org.drift4j;

/**
 * The rank quantities the rank tests are computed from: where a batch's values fall among the
 * baseline's. Implemented by the observed {@link RankSample} and by the simulated
 * {@link NullArrangement}, so that the observed statistic and its null distribution are computed
 * by the same code.
 */
interface RankCounts {

  /** Baseline size n. */
  int baselineSize();

  /** Batch size m. */
  int batchSize();

  /** The Mann–Whitney U of the batch: over its values, the baseline values below each (ties one half). */
  double rankSum();

  /** How many batch values lie strictly above the k-th largest baseline value, 1 ≤ k ≤ n. */
  int batchAbove(int k);

  /** How many batch values lie strictly below the k-th smallest baseline value, 1 ≤ k ≤ n. */
  int batchBelow(int k);
}
