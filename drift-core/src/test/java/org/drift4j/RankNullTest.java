package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class RankNullTest {

  @Test
  void simulatedRanksHaveTheExactNullMean() {
    // mean rank of a batch item among n baseline values is n/2 under exchangeability
    RankNull meanRank = new RankNull((n, m) -> s -> s.rankSum() / s.batchSize(), 20_000, 1);
    for (int m : new int[] {7, 3000}) {
      double[] scores = meanRank.nullScores(1000, m);
      double mean = java.util.Arrays.stream(scores).average().orElseThrow();
      assertThat(mean).as("m=%d", m).isCloseTo(500, offset(5.0));
      assertThat(scores[0]).isGreaterThanOrEqualTo(0);
      assertThat(scores[scores.length - 1]).isLessThanOrEqualTo(1000);
    }
  }

  @Test
  void pValuesCountTheNullAtOrAboveTheObservation() {
    RankNull maxRank = new RankNull((n, m) -> s -> s.rankSum(), 10_000, 2);
    // the rank of m=1 value is uniform on 0..n: P(rank >= n) = 1/(n+1)
    assertThat(maxRank.pValue(10, 10, 1)).isCloseTo(1 / 11.0, offset(0.01));
    assertThat(maxRank.pValue(0, 10, 1)).isEqualTo(1.0);
    assertThat(maxRank.nullScores(10, 1)).isSameAs(maxRank.nullScores(10, 1));
  }

  @Test
  void theSampleCountFollowsAlphaBetweenTheDefaultAndTheCap() {
    assertThat(RankNull.samplesFor(0.05)).isEqualTo(10_000);
    assertThat(RankNull.samplesFor(0.01)).isEqualTo(10_000);
    assertThat(RankNull.samplesFor(0.001)).isEqualTo(100_000);
    assertThat(RankNull.samplesFor(5e-5)).isEqualTo(1_000_000);
    assertThat(RankNull.samplesFor(Double.MIN_VALUE)).isEqualTo(1_000_000);
  }

  @Test
  void anAlphaTheSimulationCannotResolveIsRefusedNamingTheSmallest() {
    assertThat(RankNull.requireResolvable("rankTest", 1e-5, 1_000_000, true)).isEqualTo(1e-5);
    assertThatThrownBy(() -> RankNull.requireResolvable("rankTest", 9e-6, 1_000_000, true))
        .hasMessage("alpha must be at least 1.0E-5 (the smallest false-alarm rate rankTest calibrates: it simulates"
            + " at most 1000000 null batches and needs 10 of them at or beyond the threshold), but was 9.0E-6");
    assertThatThrownBy(() -> RankNull.requireResolvable("rankTest", 0.001, 1000, false))
        .hasMessage("alpha must be at least 0.01 with 1000 calibrationSamples (10 simulated null batches must lie at"
            + " or beyond the threshold), but was 0.001");
  }

  @Test
  void theCacheIsBoundedByMemoryNotByTheNumberOfBatchSizes() {
    // 1,000 samples: 8,016 bytes a size; a budget of 100 kB holds 12 of them
    RankNull small = new RankNull((n, m) -> s -> s.rankSum(), 1000, 3, 100_000);
    for (int m = 1; m <= 200; m++) {
      small.nullScores(50, m);
    }
    assertThat(small.cache().size()).isEqualTo(12);
    assertThat(small.cache().bytes()).isLessThanOrEqualTo(100_000);
    // the default budget keeps hundreds of sizes at the default sample count
    RankNull many = new RankNull((n, m) -> s -> s.rankSum(), RankNull.DEFAULT_SAMPLES, 4);
    for (int m = 1; m <= 300; m++) {
      many.nullScores(20, m);
    }
    assertThat(many.cache().size()).isEqualTo(300);
  }
}
