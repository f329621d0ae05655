package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NullArrangementTest {

  /** Random tie-free data, and the arrangement its ranks make. */
  private record Case(RankSample sample, NullArrangement arrangement) {}

  private static Case randomCase(int n, int m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] baseline = new double[n];
    double[] batch = new double[m];
    Arrays.setAll(baseline, i -> r.nextDouble());
    Arrays.setAll(batch, i -> r.nextDouble());
    Arrays.sort(baseline);
    RankSample sample = RankSample.of(batch, baseline);
    double[] sortedBatch = batch.clone();
    Arrays.sort(sortedBatch);
    int[] baselinePositions = new int[n];
    int j = 0;
    for (int i = 0; i < n; i++) {
      while (j < m && sortedBatch[j] < baseline[i]) {
        j++;
      }
      baselinePositions[i] = i + j;
    }
    NullArrangement a = new NullArrangement(n, m);
    a.place(baselinePositions);
    return new Case(sample, a);
  }

  @ParameterizedTest(name = "n={0}, m={1}")
  @CsvSource({"10,3", "3,10", "64,64", "100,1", "1,100", "130,70"})
  void everyRankQuantityEqualsTheObservedSamplesOnTieFreeData(int n, int m) {
    for (long seed = 0; seed < 20; seed++) {
      Case c = randomCase(n, m, seed);
      assertThat(c.arrangement().rankSum()).isEqualTo(c.sample().rankSum());
      for (int k = 1; k <= n; k++) {
        assertThat(c.arrangement().batchAbove(k)).as("above k=%d", k).isEqualTo(c.sample().batchAbove(k));
        assertThat(c.arrangement().batchBelow(k)).as("below k=%d", k).isEqualTo(c.sample().batchBelow(k));
      }
      assertThat(c.arrangement().ksDistance()).isEqualTo(KsTestPolicy.distance(c.sample()));
    }
  }

  @Test
  void drawsAreUniformArrangements() {
    // n=2, m=2: six arrangements, each with probability 1/6; U takes 0,1,2,2,3,4
    NullArrangement a = new NullArrangement(2, 2);
    SplittableRandom r = new SplittableRandom(9);
    int[] counts = new int[5];
    int draws = 60_000;
    for (int i = 0; i < draws; i++) {
      a.draw(r);
      counts[(int) a.rankSum()]++;
    }
    double[] expected = {1 / 6.0, 1 / 6.0, 2 / 6.0, 1 / 6.0, 1 / 6.0};
    for (int u = 0; u < 5; u++) {
      assertThat(counts[u] / (double) draws).as("P(U=%d)", u).isCloseTo(expected[u], offset(0.01));
    }
  }

  @Test
  void theMaximumsRankFollowsItsExactLawWhicheverSampleIsSmaller() {
    // P(batchAbove(1) >= 1) = m / (n + m): the pooled maximum is a batch value
    for (int[] nm : new int[][] {{20, 5}, {5, 20}}) {
      NullArrangement a = new NullArrangement(nm[0], nm[1]);
      SplittableRandom r = new SplittableRandom(nm[0]);
      int hits = 0;
      for (int i = 0; i < 40_000; i++) {
        a.draw(r);
        hits += a.batchAbove(1) >= 1 ? 1 : 0;
      }
      assertThat(hits / 40_000.0).isCloseTo(nm[1] / (double) (nm[0] + nm[1]), offset(0.01));
    }
  }
}
