package org.drift4j.examples.bench.monitor;

import java.util.ArrayList;
import java.util.List;
import org.drift4j.Baseline;
import org.drift4j.DriftPolicy;

/**
 * Comparator (a): the library's per-batch test {@link DriftPolicy#rankTest(double)} on
 * consecutive batches of m images at α = m / ERT, so that a clean stream raises a false alarm
 * about every ERT images (averaged over baselines: the test is exact for exchangeable batches and
 * makes no promise given one baseline). An alarm points at the batch that raised it. Not
 * thread-safe.
 */
final class BatchRankDetector implements StreamDetector {

  private final Baseline baseline;
  private final DriftPolicy policy;
  private final double[] batch;
  private int filled;
  private long seen;

  /**
   * @throws IllegalArgumentException if {@code m} is not below the expected run time
   */
  BatchRankDetector(Baseline baseline, int m, long expectedRunTime) {
    if (m < 1 || m >= expectedRunTime) {
      throw new IllegalArgumentException("the batch size must be between 1 and the expected run time "
          + expectedRunTime + " (exclusive), but was " + m);
    }
    this.baseline = baseline;
    this.policy = DriftPolicy.rankTest(m / (double) expectedRunTime);
    this.batch = new double[m];
  }

  @Override
  public String name() {
    return "rankTest m=" + batch.length;
  }

  @Override
  public void reset() {
    filled = 0;
    seen = 0;
  }

  @Override
  public List<Alarm> observe(double[] errors) {
    List<Alarm> alarms = List.of();
    for (int i = 0; i < errors.length; i++) {
      batch[filled++] = errors[i];
      seen++;
      if (filled == batch.length) {
        filled = 0;
        if (policy.decide(batch, baseline).drift()) {
          if (alarms.isEmpty()) {
            alarms = new ArrayList<>(1);
          }
          alarms.add(new Alarm(i, seen - batch.length));
        }
      }
    }
    return alarms;
  }
}
