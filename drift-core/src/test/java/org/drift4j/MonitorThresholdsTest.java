package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MonitorThresholdsTest {

  private static MonitorThresholds.Result calibrate(int n, double ert, long seed) {
    return MonitorThresholds.calibrate(n, RankAlternative.DEFAULTS, ert, 0.05, seed, 60, 10, 10 * ert);
  }

  @Test
  void theThresholdIsDeterministicForASeedAndGrowsWithTheExpectedRunTime() {
    MonitorThresholds.Result a = calibrate(500, 400, 1);
    assertThat(calibrate(500, 400, 1).threshold()).isEqualTo(a.threshold());
    assertThat(a.threshold()).isGreaterThan(0.3 * 400).isLessThan(10 * 400);
    assertThat(calibrate(500, 1_600, 1).threshold()).isGreaterThan(2 * a.threshold());
    assertThat(a.perBaseline()).hasSize(60).isSorted();
    assertThat(a.threshold()).as("the 95th percentile of the per-baseline thresholds")
        .isEqualTo(a.perBaseline().get(56));
  }

  @Test
  void aTinyBaselineCannotReachAHugeExpectedRunTimeAndTheCalibrationSaysSoQuickly() {
    MonitorThresholds.Result r = calibrate(25, 200_000, 3);
    assertThat(r.threshold()).isGreaterThan(10 * 200_000.0);
    assertThat(r.seconds()).as("streams stop once past the largest threshold accepted").isLessThan(30);
  }

  @Test
  void theRunLengthEstimateIsTotalTimeOverAlarms() {
    double[][] records = {{1, 5, 9}, {2, 3}, {}};
    int[][] times = {{1, 10, 30}, {4, 8}, {}};
    // threshold 4: stream 0 crosses at 10, stream 1 never (censored at 100), stream 2 never
    assertThat(MonitorThresholds.arl(records, times, 100, 4)).isCloseTo((10 + 100 + 100) / 1.0, offset(1e-12));
    assertThat(MonitorThresholds.arl(records, times, 100, 2.5)).isCloseTo((10 + 8 + 100) / 2.0, offset(1e-12));
  }

  @Test
  void dirichletDrawsAreProbabilityVectors() {
    double[] d = MonitorThresholds.dirichlet(100, new SplittableRandom(4));
    assertThat(d).hasSize(101);
    assertThat(java.util.Arrays.stream(d).sum()).isCloseTo(1.0, offset(1e-12));
    MonitorThresholds.Alias alias = new MonitorThresholds.Alias(new double[] {0.5, 0.0, 0.5});
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 1_000; i++) {
      assertThat(alias.draw(random)).isNotEqualTo(1);
    }
  }

  @Test
  void theShareOfBaselinesThatNeverReachTheRunTimeDoesNotDependOnWhenTheCalibrationStops() {
    // the share is a property of the simulated baselines (n, ERT, seed), which DriftMonitor's refusal
    // message reports ("for N% of simulated baselines no accepted threshold ..."); at confidence 0.001 the
    // calibration used to stop early only once every baseline was beyond, so it simulated them all
    MonitorThresholds.Result stopsEarly = MonitorThresholds.calibrate(300, RankAlternative.DEFAULTS, 1_500, 0.05, 3, 60,
        10, 15_000);
    MonitorThresholds.Result simulatesAll = MonitorThresholds.calibrate(300, RankAlternative.DEFAULTS, 1_500, 0.999, 3,
        60, 10, 15_000);
    assertThat(stopsEarly.threshold()).isInfinite();
    assertThat(simulatesAll.perBaseline().stream().filter(a -> a > 15_000).count()).isEqualTo(13);
    assertThat(stopsEarly.unreachable()).isEqualTo(simulatesAll.unreachable()).isEqualTo(13 / 60.0);
    assertThat(stopsEarly.perBaseline()).isEqualTo(simulatesAll.perBaseline());
  }
}
