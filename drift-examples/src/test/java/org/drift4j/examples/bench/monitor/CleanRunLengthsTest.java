package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanRunLengthsTest {

  /** Alarms at every {@code every}-th image, or never if 0. */
  static final class Periodic implements StreamDetector {
    private final int every;
    private long seen;
    final List<Double> errors = new ArrayList<>();

    Periodic(int every) {
      this.every = every;
    }

    @Override
    public String name() {
      return "every " + every;
    }

    @Override
    public void reset() {
      seen = 0;
    }

    @Override
    public List<Alarm> observe(double[] values) {
      List<Alarm> alarms = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        errors.add(values[i]);
        if (every > 0 && ++seen % every == 0) {
          alarms.add(new Alarm(i, seen - 1));
        }
      }
      return alarms;
    }
  }

  @Test
  void aDetectorThatAlarmsEveryHundredImagesHasRunsOfExactlyAHundred() {
    CleanRunLengths.Row row = CleanRunLengths.measure(new Periodic(100), new double[] {0.1, 0.2}, 100, 50, 1);
    assertThat(row.runs()).isEqualTo(50);
    assertThat(row.mean()).isEqualTo(100);
    assertThat(row.low()).isEqualTo(100);
    assertThat(row.high()).isEqualTo(100);
    assertThat(row.median()).isEqualTo(100);
    assertThat(row.censored()).isFalse();
    assertThat(row.detector()).isEqualTo("every 100");
  }

  @Test
  void aDetectorThatNeverAlarmsIsStoppedAndReportedCensored() {
    CleanRunLengths.Row row = CleanRunLengths.measure(new Periodic(0), new double[] {0.1}, 10, 5, 1);
    assertThat(row.censored()).isTrue();
    assertThat(row.runs()).isZero();
    assertThat(row.mean()).isGreaterThanOrEqualTo(40 * 10 * 5);
  }

  @Test
  void everyDetectorSeesTheSameStreamForOneSeed() {
    double[] pool = new java.util.SplittableRandom(3).doubles(1_000).toArray();
    Periodic a = new Periodic(37);
    Periodic b = new Periodic(91);
    CleanRunLengths.measure(a, pool, 10, 3, 7);
    CleanRunLengths.measure(b, pool, 10, 3, 7);
    assertThat(a.errors).isEqualTo(b.errors).isNotEmpty();
  }
}
