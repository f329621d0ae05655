package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KsTestPolicyTest {

  private static final Baseline BASELINE = Baseline.of(
      java.util.stream.IntStream.rangeClosed(1, 100).mapToDouble(i -> i / 100.0).toArray(),
      ReconstructionError.MEAN_SQUARED_ERROR, ImageShape.grey(1, 1), "fp", Instant.EPOCH);

  @Test
  void theDistanceIsTheLargestGapBetweenTheTwoEmpiricalCdfs() {
    double[] sorted = BASELINE.sortedErrors();
    assertThat(KsTestPolicy.distance(RankSample.of(new double[] {2.0, 3.0}, sorted))).isCloseTo(1.0, offset(1e-12));
    assertThat(KsTestPolicy.distance(RankSample.of(new double[] {0.255, 0.755}, sorted))).isCloseTo(0.25, offset(1e-9));
  }

  @Test
  void aClearlyShiftedBatchDriftsAndATypicalOneDoesNot() {
    DriftPolicy ks = DriftPolicy.ksTest(0.05);
    assertThat(ks.decide(new double[] {2, 3, 4, 5, 6}, BASELINE).drift()).isTrue();
    double[] far = new double[500];
    java.util.Arrays.fill(far, 7.0);
    assertThat(ks.decide(far, BASELINE).pValue()).isEqualTo(1.0 / (RankNull.DEFAULT_SAMPLES + 1));
    PolicyDecision typical = ks.decide(new double[] {0.15, 0.35, 0.55, 0.75, 0.95}, BASELINE);
    assertThat(typical.drift()).isFalse();
    assertThat(typical.pValue()).isGreaterThan(0.5);
  }

  @Test
  void anAlphaBelowWhatTheSimulatedNullResolvesIsRefusedAndASmallOneIsSimulatedDeeper() {
    assertThatThrownBy(() -> DriftPolicy.ksTest(1e-6))
        .hasMessage("alpha must be at least 1.0E-5 (the smallest false-alarm rate ksTest calibrates: it simulates"
            + " at most 1000000 null batches and needs 10 of them at or beyond the threshold), but was 1.0E-6");
    assertThat(((KsTestPolicy) DriftPolicy.ksTest(0.001)).nullDistribution().samples()).isEqualTo(100_000);
  }
}
