package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class RankAlternativeTest {

  @Test
  void everyLikelihoodRatioTableAveragesToOneSoCleanRanksCarryNoDriftOnAverage() {
    for (int n : new int[] {20, 999, 5_000}) {
      for (RankAlternative a : RankAlternative.DEFAULTS) {
        double[] lr = a.likelihoodRatios(n);
        assertThat(lr).hasSize(n + 1);
        double sum = 0;
        for (double v : lr) {
          assertThat(v).isGreaterThanOrEqualTo(0).isLessThan(Double.POSITIVE_INFINITY);
          sum += v;
        }
        assertThat(sum / (n + 1)).as("%s, n=%d", a, n).isCloseTo(1.0, offset(1e-9));
      }
    }
  }

  @Test
  void eachAlternativeFavoursTheRanksOfItsDrift() {
    int n = 1_000;
    double[] up = new RankAlternative(RankAlternative.Kind.LOCATION_UP, 3, 0, 1).likelihoodRatios(n);
    assertThat(up[n]).isGreaterThan(1).isGreaterThan(up[n / 2]);
    assertThat(up[0]).isLessThan(0.01);
    double[] down = new RankAlternative(RankAlternative.Kind.LOCATION_DOWN, 3, 0, 1).likelihoodRatios(n);
    assertThat(down[0]).isGreaterThan(down[n]);
    double[] tail = new RankAlternative(RankAlternative.Kind.TAIL_UP, 1, 0.05, 1).likelihoodRatios(n);
    assertThat(tail[n]).as("beyond the baseline's maximum").isGreaterThan(10);
    assertThat(tail[n / 2]).as("mid-range ranks are a little less likely").isCloseTo(0.95, offset(0.01));
    double[] middle = new RankAlternative(RankAlternative.Kind.SPREAD_DOWN, 1.2, 0, 1).likelihoodRatios(n);
    assertThat(middle[n / 2]).isGreaterThan(1).isGreaterThan(middle[0]);
    double[] bump = new RankAlternative(RankAlternative.Kind.BUMP, 0.2, 0.3, 1).likelihoodRatios(n);
    assertThat(bump[n / 5]).as("the bump's centre: 0.7 + 0.3 * 10").isCloseTo(3.7, offset(0.02));
    assertThat(bump[n / 20]).as("outside the bump").isCloseTo(0.7, offset(1e-9));
    assertThat(bump[n / 2]).isCloseTo(0.7, offset(1e-9));
    double[] wideTail = new RankAlternative(RankAlternative.Kind.TAIL_UP, 0.1, 0.1, 1).likelihoodRatios(n);
    assertThat(wideTail[n]).as("a 10%-wide tail: 0.9 + 0.1 * 10 at the top").isCloseTo(1.9, offset(0.01));
    assertThat(wideTail[(int) (0.85 * n)]).isGreaterThan(1).isLessThan(wideTail[n]);
  }

  @Test
  void causesReadAsWords() {
    assertThat(RankAlternative.DEFAULTS.get(1).describe()).isEqualTo("errors up (AUC 0.75)");
    assertThat(RankAlternative.DEFAULTS.get(6).describe()).isEqualTo("5% of images with errors above the baseline's largest");
    assertThat(RankAlternative.DEFAULTS.get(8).describe()).isEqualTo("30% of images with errors above the baseline's top 1.5%");
    assertThat(RankAlternative.DEFAULTS).hasSize(21);
    assertThat(RankAlternative.DEFAULTS.get(14).describe()).isEqualTo("errors up (AUC 0.55)");
    assertThat(RankAlternative.DEFAULTS.get(16).describe()).isEqualTo("10% of images with errors above the baseline's top 10%");
    assertThat(RankAlternative.DEFAULTS.get(19).describe())
        .isEqualTo("30% of images with errors gathering around the baseline's 20th percentile");
  }
}
