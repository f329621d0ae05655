package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class PixelDeparturesTest {

  private static PixelErrorStatistics baseline(float[] mean, float[] variance) {
    return PixelErrorStatistics.of(ImageShape.grey(1, mean.length), 4, mean, variance);
  }

  @Test
  void theStatisticIsTheDepartureInStandardErrorsOfBothMeans() {
    PixelDepartures d = new PixelDepartures(baseline(new float[] {0.1f, 0.2f}, new float[] {0.01f, 0.04f}));
    d.add(new double[] {0.3, 0.2});
    d.add(new double[] {0.1, 0.2});
    PixelDepartures.Result r = d.result(0.05);
    // pixel 0: batch variance 0.02 exceeds the baseline's 0.01, so it is used: 0.02 / 2 + 0.01 / 4
    assertThat((double) r.z()[0]).isCloseTo((0.2 - 0.1f) / Math.sqrt(0.02 / 2 + 0.01f / 4), offset(1e-5));
    // pixel 1: the batch never varies, so the baseline's variance stands in: 0.04 / 2 + 0.04 / 4
    assertThat((double) r.z()[1]).isCloseTo((0.2 - 0.2f) / Math.sqrt(0.04f / 2 + 0.04f / 4), offset(1e-5));
    assertThat(d.count()).isEqualTo(2);
    assertThat(d.batchMean()).containsExactly(0.2f, 0.2f);
  }

  @Test
  void aSingleImageIsJudgedWithTheBaselinesVariance() {
    PixelDepartures d = new PixelDepartures(baseline(new float[] {0.1f}, new float[] {0.01f}));
    d.add(new double[] {0.5});
    assertThat((double) d.result(0.05).z()[0]).isCloseTo((0.5 - 0.1f) / Math.sqrt(0.01f + 0.01f / 4), offset(1e-5));
  }

  @Test
  void aValueThatNeverVariesButDiffersGetsTheCapAndOneThatMatchesGetsZero() {
    PixelDepartures d = new PixelDepartures(baseline(new float[] {0.1f, 0.3f, 0.2f}, new float[] {0, 0, 0}));
    d.add(new double[] {0.2, 0.2, 0.2});
    d.add(new double[] {0.2, 0.2, 0.2});
    PixelDepartures.Result r = d.result(0.05);
    assertThat(r.z()).containsExactly((float) PixelDepartures.Z_CAP, (float) -PixelDepartures.Z_CAP, 0f);
    assertThat(r.significance()).containsExactly(1, -1, 0);
    assertThat(r.zThreshold()).isEqualTo(PixelDepartures.Z_CAP);
  }

  @Test
  void benjaminiHochbergRejectsUpToTheLargestPValueUnderItsLine() {
    double[] p = {0.042, 0.001, 0.039, 0.008, 0.041, 0.06, 0.074, 0.205, 0.212, 0.216};
    // sorted: 0.001 <= 0.005, 0.008 <= 0.010, 0.039 > 0.015, ... none later under i * 0.005
    assertThat(PixelDepartures.benjaminiHochbergCutoff(p, 0.05)).isEqualTo(0.008);
    assertThat(PixelDepartures.benjaminiHochbergCutoff(new double[] {0.5, 0.9}, 0.05)).isEqualTo(-1);
    // a p-value above its own line is still rejected when a larger one is under its line
    assertThat(PixelDepartures.benjaminiHochbergCutoff(new double[] {0.03, 0.04}, 0.05)).isEqualTo(0.04);
  }

  @Test
  void withoutSignificantValuesTheThresholdIsWhatASingleValueWouldNeed() {
    PixelDepartures d = new PixelDepartures(baseline(new float[] {0.1f, 0.1f}, new float[] {0.01f, 0.01f}));
    d.add(new double[] {0.1, 0.1});
    PixelDepartures.Result r = d.result(0.05);
    assertThat(r.significance()).containsExactly(0, 0);
    assertThat(r.zThreshold()).isCloseTo(PixelDepartures.zFor(0.025), offset(1e-12));
  }

  @Test
  void zForInvertsTheTwoSidedNormalPValue() {
    assertThat(PixelDepartures.zFor(0.05)).isCloseTo(1.959964, offset(1e-5));
    assertThat(PixelDepartures.zFor(1e-6)).isCloseTo(4.891638, offset(1e-4));
    assertThat(Distributions.twoSidedNormalPValue(PixelDepartures.zFor(0.001))).isCloseTo(0.001, offset(1e-9));
  }
}
