package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.junit.jupiter.api.Test;

class OnlineCvmTest {

  static Baseline uniform(int n, long seed) {
    return Baseline.of(new SplittableRandom(seed).doubles(n).toArray(), ReconstructionError.MEAN_SQUARED_ERROR,
        ImageShape.grey(1, 1), "uniform", Instant.EPOCH);
  }

  private static double cdf(double[] sample, double z) {
    return Arrays.stream(sample).filter(v -> v <= z).count() / (double) sample.length;
  }

  @Test
  void theRankFormulaEqualsTheCramerVonMisesDistanceComputedOnThePooledSample() {
    int n = 200;
    int w = 20;
    Baseline baseline = uniform(n, 1);
    double[] reference = baseline.sortedErrors();
    OnlineCvm cvm = new OnlineCvm(baseline, w, 100, 1);
    SplittableRandom random = new SplittableRandom(2);
    for (int rep = 0; rep < 50; rep++) {
      double[] window = random.doubles(w, 0, 1.2).toArray();
      int[] ranks = Arrays.stream(window).mapToInt(v -> (int) Arrays.stream(reference).filter(x -> x < v).count())
          .sorted().toArray();
      double brute = 0;
      for (double z : reference) {
        brute += Math.pow(cdf(reference, z) - cdf(window, z), 2);
      }
      for (double z : window) {
        brute += Math.pow(cdf(reference, z) - cdf(window, z), 2);
      }
      double nw = n + w;
      double mu = 1.0 / 6 + 1.0 / (6 * nw);
      double var = (nw + 1) * (4.0 * n * w * nw - 3 * ((double) n * n + (double) w * w) - 2.0 * n * w)
          / (45 * nw * nw * 4.0 * n * w);
      assertThat(cvm.standardised(ranks)).isCloseTo((brute * n * w / (nw * nw) - mu) / Math.sqrt(var), offset(1e-9));
    }
  }

  @Test
  void theSlidingWindowGivesTheStatisticOfTheLastWImages() {
    int n = 300;
    int w = 15;
    Baseline baseline = uniform(n, 3);
    double[] reference = baseline.sortedErrors();
    OnlineCvm cvm = new OnlineCvm(baseline, w, 100, 4);
    double[] stream = new SplittableRandom(5).doubles(400).toArray();
    for (int t = 0; t < stream.length; t++) {
      double z = cvm.push(stream[t]);
      if (t < w - 1) {
        assertThat(z).isNaN();
        continue;
      }
      int[] ranks = Arrays.stream(Arrays.copyOfRange(stream, t - w + 1, t + 1))
          .mapToInt(v -> (int) Arrays.stream(reference).filter(x -> x < v).count()).sorted().toArray();
      assertThat(z).as("image %d", t).isCloseTo(cvm.standardised(ranks), offset(1e-12));
    }
  }

  @Test
  void onCleanStreamsTheRunLengthAveragedOverBaselinesIsNearTheExpectedRunTime() {
    long ert = 200;
    double total = 0;
    int baselines = 12;
    double[] clean = new SplittableRandom(99).doubles(50_000).toArray();
    for (int b = 0; b < baselines; b++) {
      OnlineCvm cvm = new OnlineCvm(uniform(500, 10 + b), 20, ert, 20 + b);
      total += CleanRunLengths.measure(cvm, clean, ert, 60, 30 + b).mean();
    }
    // alibi's calibration holds on average over baselines (each baseline's own run length varies)
    assertThat(total / baselines / ert).isBetween(0.75, 1.35);
  }

  @Test
  void aShiftedStreamAlarmsAndPointsAtTheWindow() {
    OnlineCvm cvm = new OnlineCvm(uniform(500, 6), 20, 1_000, 7);
    assertThat(cvm.thresholds()).hasSize(39);
    assertThat(cvm.thresholds()[19]).isFinite();
    assertThat(cvm.thresholds()[18]).isNaN();
    double[] high = new SplittableRandom(8).doubles(200, 0.8, 1.5).toArray();
    var alarms = cvm.observe(high);
    assertThat(alarms).isNotEmpty();
    assertThat(alarms.get(0).position()).isBetween(19, 40);
    assertThat(alarms.get(0).changePoint()).isEqualTo(alarms.get(0).position() + 1 - 20);
    assertThat(cvm.name()).isEqualTo("CvM W=20");
  }

  @Test
  void aWindowOfOneImageIsRefused() {
    assertThatThrownBy(() -> new OnlineCvm(uniform(100, 1), 1, 100, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the window must hold at least 2 images and the expected run time at least 2, but were 1 and 100");
  }
}
