package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributionsTest {

  @Test
  void normalPValuesMatchKnownQuantiles() {
    assertThat(Distributions.twoSidedNormalPValue(1.959964)).isCloseTo(0.05, offset(1e-6));
    assertThat(Distributions.twoSidedNormalPValue(-2.575829)).isCloseTo(0.01, offset(1e-6));
    assertThat(Distributions.twoSidedNormalPValue(0)).isEqualTo(1.0);
  }

  @Test
  void betaBinomialTailsStartAtOneAndDecrease() {
    double[] tail = Distributions.betaBinomialUpperTails(20, 3, 98);
    assertThat(tail[0]).isEqualTo(1.0);
    for (int x = 1; x < tail.length; x++) {
      assertThat(tail[x]).isLessThanOrEqualTo(tail[x - 1]);
    }
    assertThat(tail[21]).isZero();
  }

  @Test
  void betaBinomialTailMatchesASimulationOfExchangeableValues() {
    // n = 50 old values, m = 8 new ones; X = how many new ones exceed the k-th largest old one
    int n = 50;
    int m = 8;
    int k = 5;
    double[] tail = Distributions.betaBinomialUpperTails(m, k, n + 1.0 - k);
    SplittableRandom r = new SplittableRandom(1);
    int trials = 200_000;
    int atLeastTwo = 0;
    for (int t = 0; t < trials; t++) {
      double[] old = r.doubles(n).sorted().toArray();
      double threshold = old[n - k];
      int x = 0;
      for (int i = 0; i < m; i++) {
        x += r.nextDouble() > threshold ? 1 : 0;
      }
      atLeastTwo += x >= 2 ? 1 : 0;
    }
    assertThat(atLeastTwo / (double) trials).isCloseTo(tail[2], offset(0.004));
  }
}
