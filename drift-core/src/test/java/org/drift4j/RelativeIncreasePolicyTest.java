package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RelativeIncreasePolicyTest {

  private static final Baseline BASELINE = Baseline.of(new double[] {0.09, 0.11}, ReconstructionError.MEAN_SQUARED_ERROR,
      ImageShape.grey(1, 1), "fp", Instant.EPOCH);

  @Test
  void driftsWhenTheMeanRisesMoreThanTheFraction() {
    DriftPolicy rule = DriftPolicy.relativeIncrease(0.1);
    PolicyDecision above = rule.decide(new double[] {0.12, 0.1201}, BASELINE);
    assertThat(above.drift()).isTrue();
    assertThat(above.statistic()).isCloseTo(0.2005, offset(1e-9));
    assertThat(above.hasPValue()).isFalse();
    assertThat(above.threshold()).isEqualTo(0.1);
    assertThat(rule.decide(new double[] {0.109}, BASELINE).drift()).isFalse();
    assertThat(rule.decide(new double[] {0.01}, BASELINE).drift()).as("a fall is never drift for this rule").isFalse();
  }

  @Test
  void aNonPositiveFractionIsRefused() {
    assertThatThrownBy(() -> DriftPolicy.relativeIncrease(-0.1))
        .hasMessage("fraction must be a finite value greater than 0, but was -0.1");
    assertThatThrownBy(() -> DriftPolicy.relativeIncrease(Double.NaN))
        .hasMessage("fraction must be a finite value greater than 0, but was NaN");
  }

  @Test
  void aZeroMeanBaselineIsRefused() {
    Baseline zero = Baseline.of(new double[] {0, 0}, ReconstructionError.MEAN_SQUARED_ERROR, ImageShape.grey(1, 1), "fp",
        Instant.EPOCH);
    assertThatThrownBy(() -> DriftPolicy.relativeIncrease(0.1).requireCompatible(zero))
        .hasMessage("relativeIncrease needs a baseline mean error greater than 0, but was 0.0");
  }
}
