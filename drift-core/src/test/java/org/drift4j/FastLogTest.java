package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastLogTest {

  @Test
  void agreesWithMathLogAcrossTheRangeBinaryCrossEntropyUses() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 1_000_000; i++) {
      double x = Math.max(1e-7, r.nextDouble());
      assertThat(FastLog.ln(x)).isCloseTo(Math.log(x), offset(1e-14));
    }
    for (double x : new double[] {1e-7, 1 - 1e-7, 0.5, 1.0, 2.0, 1e10, Double.MIN_NORMAL}) {
      assertThat(FastLog.ln(x)).as("ln(%s)", x).isCloseTo(Math.log(x), offset(1e-12 * Math.max(1, Math.abs(Math.log(x)))));
    }
  }
}
