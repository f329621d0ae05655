package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionDelaysTest {

  /** Alarms at the {@code k}-th consecutive error above 0.5, pointing at the first of them. */
  static final class Above implements StreamDetector {
    private final int k;
    private long seen;
    private int run;
    final List<Double> errors = new ArrayList<>();

    Above(int k) {
      this.k = k;
    }

    @Override
    public String name() {
      return "above x" + k;
    }

    @Override
    public void reset() {
      seen = 0;
      run = 0;
    }

    @Override
    public List<Alarm> observe(double[] values) {
      List<Alarm> alarms = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        errors.add(values[i]);
        seen++;
        run = values[i] > 0.5 ? run + 1 : 0;
        if (run == k) {
          alarms.add(new Alarm(i, seen - k));
          run = 0;
        }
      }
      return alarms;
    }
  }

  @Test
  void aDetectorThatNeedsThreeShiftedImagesHasADelayOfThreeAndFindsTheChange() {
    Scenario shifted = new Scenario("up", new double[] {0.9}, 1);
    DetectionDelays.Row row = DetectionDelays.measure(new Above(3), new double[] {0.1, 0.2}, shifted, 0, 100, 40, 50,
        1_000, 1);
    assertThat(row.median()).isEqualTo(3);
    assertThat(row.mean()).isEqualTo(3);
    assertThat(row.medianLow()).isEqualTo(3);
    assertThat(row.medianHigh()).isEqualTo(3);
    assertThat(row.censored()).isZero();
    assertThat(row.falseAlarms()).isZero();
    assertThat(row.changePointError()).isZero();
    assertThat(row.changePointAbsError()).isZero();
    assertThat(row.scenario()).isEqualTo("up");
  }

  @Test
  void forRequestsOfRImagesTheDelayRunsToTheEndOfTheRequestThatHoldsTheAlarm() {
    // burn-in 1: the change is at image 2 of every run and the alarm at image 4
    Scenario shifted = new Scenario("up", new double[] {0.9}, 1);
    List<DetectionDelays.Row> rows = DetectionDelays.measure(new Above(3), new double[] {0.1}, shifted, 0, 100, 5, 1,
        1_000, 1, new int[] {1, 4, 32});
    assertThat(rows).extracting(DetectionDelays.Row::requestSize).containsExactly(1, 4, 32);
    assertThat(rows).extracting(DetectionDelays.Row::median).containsExactly(3.0, 3.0, 31.0);
    assertThat(rows).extracting(DetectionDelays.Row::meanHigh).containsExactly(3.0, 3.0, 31.0);
    assertThat(rows.get(2).changePointError()).as("the change point is the detector's, whatever the request size")
        .isZero();
  }

  @Test
  void runsWithAFalseAlarmBeforeTheChangeAreDrawnAgainAndCounted() {
    // a clean pool where one image in four is above 0.5: one such image alarms a detector of k = 1
    double[] clean = {0.1, 0.2, 0.3, 0.9};
    Scenario shifted = new Scenario("up", new double[] {0.9}, 1);
    DetectionDelays.Row row = DetectionDelays.measure(new Above(1), clean, shifted, 0, 100, 5, 2, 100, 3);
    assertThat(row.falseAlarms()).isPositive();
    assertThat(row.median()).isEqualTo(1);
  }

  @Test
  void aDetectorThatNeverFiresIsCensoredAtTheCap() {
    Scenario same = new Scenario("same", new double[] {0.1}, 1);
    DetectionDelays.Row row = DetectionDelays.measure(new Above(1), new double[] {0.1}, same, 0, 100, 4, 10, 777, 1);
    assertThat(row.censored()).isEqualTo(4);
    assertThat(row.median()).isEqualTo(777);
    assertThat(row.changePointError()).isNull();
  }

  @Test
  void aTenPercentMixtureDrawsAboutOneImageInTenFromTheShiftedPoolAndEveryDetectorSeesTheSameStream() {
    Scenario mix = new Scenario("10% up", new double[] {0.9}, 0.1);
    Above a = new Above(1_000_000);
    Above b = new Above(1_000_000);
    DetectionDelays.measure(a, new double[] {0.1}, mix, 2, 100, 3, 10, 5_000, 9);
    DetectionDelays.measure(b, new double[] {0.1}, mix, 2, 100, 3, 10, 5_000, 9);
    assertThat(a.errors).isEqualTo(b.errors);
    long up = a.errors.stream().filter(e -> e > 0.5).count();
    assertThat(up / (3 * 5_000.0)).isBetween(0.09, 0.11);
    assertThat(Scenario.halfTarget(mix.name())).isTrue();
    assertThat(Scenario.halfTarget("thick 2×2")).isTrue();
    assertThat(Scenario.halfTarget("noise 0.1")).isFalse();
  }

  @Test
  void theMedianIntervalBracketsTheMiddleOrderStatistics() {
    assertThat(DetectionDelays.medianInterval(200)).containsExactly(85, 114);
    assertThat(DetectionDelays.median(new double[] {1, 2, 3, 10})).isEqualTo(2.5);
  }
}
