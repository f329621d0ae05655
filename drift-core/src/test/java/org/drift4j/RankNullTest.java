package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class RankNullTest {

  @Test
  void simulatedRanksHaveTheExactNullMean() {
    // mean rank of a batch item among n baseline values is n/2 under exchangeability
    RankNull meanRank = new RankNull(s -> {
      double sum = 0;
      for (int i = 0; i < s.batchSize(); i++) {
        sum += s.below(i);
      }
      return sum / s.batchSize();
    }, 20_000, 1);
    double[] scores = meanRank.nullScores(1000, 7);
    double mean = java.util.Arrays.stream(scores).average().orElseThrow();
    assertThat(mean).isCloseTo(500, offset(5.0));
    assertThat(scores[0]).isGreaterThanOrEqualTo(0);
    assertThat(scores[scores.length - 1]).isLessThanOrEqualTo(1000);
  }

  @Test
  void pValuesCountTheNullAtOrAboveTheObservation() {
    RankNull maxRank = new RankNull(s -> s.below(s.batchSize() - 1), 10_000, 2);
    // the largest of m=1 rank is uniform on 0..n: P(rank >= n) = 1/(n+1)
    assertThat(maxRank.pValue(10, 10, 1)).isCloseTo(1 / 11.0, offset(0.01));
    assertThat(maxRank.pValue(0, 10, 1)).isEqualTo(1.0);
    assertThat(maxRank.nullScores(10, 1)).isSameAs(maxRank.nullScores(10, 1));
  }
}
