package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShiryaevRobertsTest {

  private static final List<RankAlternative> TWO = List.of(
      new RankAlternative(RankAlternative.Kind.LOCATION_UP, 3, 0, 1),
      new RankAlternative(RankAlternative.Kind.LOCATION_DOWN, 3, 0, 3));

  @Test
  void eachComponentFollowsTheShiryaevRobertsRecursionWithItsWeight() {
    int n = 99;
    ShiryaevRoberts sr = new ShiryaevRoberts(n, TWO, 1e9);
    double[] up = TWO.get(0).likelihoodRatios(n);
    double[] down = TWO.get(1).likelihoodRatios(n);
    int[] ranks = {90, 95, 10, 99};
    double s0 = 0;
    double s1 = 0;
    for (int r : ranks) {
      sr.update(r);
      s0 = (0.25 + s0) * up[r];
      s1 = (0.75 + s1) * down[r];
    }
    assertThat(sr.statistic()).isCloseTo(s0 + s1, offset(1e-12 * (s0 + s1)));
    assertThat(sr.images()).isEqualTo(4);
    assertThat(sr.alternative(sr.leadingComponent()).kind()).isEqualTo(RankAlternative.Kind.LOCATION_UP);
  }

  @Test
  void itAlarmsAtTheThresholdAndTheChangePointIsWhereTheEvidenceBegins() {
    int n = 199;
    ShiryaevRoberts sr = new ShiryaevRoberts(n, RankAlternative.DEFAULTS, 500);
    for (int i = 0; i < 30; i++) {
      // ranks spread over the whole range, as clean images' are
      assertThat(sr.update((i * 37 + 11) % (n + 1))).isFalse();
    }
    int t = 30;
    boolean alarm = false;
    while (!alarm) {
      alarm = sr.update(n);
      t++;
    }
    assertThat(sr.statistic()).isGreaterThanOrEqualTo(500);
    assertThat(sr.changePoint()).as("the top-rank run began at image 31").isBetween(28L, 31L);
    assertThat(t).isLessThan(45);
  }

  @Test
  void aStateRestoresExactlyAndABrokenOneIsRefused() {
    ShiryaevRoberts a = new ShiryaevRoberts(50, RankAlternative.DEFAULTS, 1e6);
    for (int r = 0; r < 40; r++) {
      a.update((r * 13) % 51);
    }
    ShiryaevRoberts b = new ShiryaevRoberts(50, RankAlternative.DEFAULTS, 1e6);
    b.restore(a.state());
    a.update(50);
    b.update(50);
    assertThat(b.statistic()).isEqualTo(a.statistic());
    assertThat(b.changePoint()).isEqualTo(a.changePoint());
    double[][] broken = a.state();
    broken[1][0] = Double.NaN;
    assertThatThrownBy(() -> b.restore(broken)).hasMessage("state values must be finite and non-negative, but one was NaN");
  }
}
