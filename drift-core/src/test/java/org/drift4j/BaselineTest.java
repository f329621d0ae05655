package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.drift4j.testkit.Fakes;
import org.drift4j.testkit.PcaAutoencoder;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

class BaselineTest {

  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
  private static final ImageShape SHAPE = ImageShape.grey(1, 1);

  @Test
  void keepsEveryErrorSortedWithItsSummary() {
    Baseline b = Baseline.of(new double[] {0.4, 0.1, 0.3, 0.2}, ReconstructionError.MEAN_SQUARED_ERROR, SHAPE, "fp", T0);
    assertThat(b.sortedErrors()).containsExactly(0.1, 0.2, 0.3, 0.4);
    assertThat(b.count()).isEqualTo(4);
    assertThat(b.mean()).isCloseTo(0.25, offset(1e-12));
    assertThat(b.standardDeviation()).isCloseTo(Math.sqrt(0.05 / 3), offset(1e-12));
    assertThat(b.min()).isEqualTo(0.1);
    assertThat(b.max()).isEqualTo(0.4);
    assertThat(b.quantile(0.5)).isCloseTo(0.25, offset(1e-12));
    assertThat(b.quantile(1.0)).isEqualTo(0.4);
  }

  @Test
  void conformalPValuesAreRankBased() {
    Baseline b = Baseline.of(new double[] {1, 2, 3, 4}, ReconstructionError.MEAN_SQUARED_ERROR, SHAPE, "fp", T0);
    assertThat(b.upperTailPValue(2)).isCloseTo(4 / 5.0, offset(1e-12));
    assertThat(b.upperTailPValue(4.5)).isCloseTo(1 / 5.0, offset(1e-12));
    assertThat(b.upperTailPValue(0.5)).isEqualTo(1.0);
  }

  @Test
  void computeReconstructsTheImagesAndRecordsTheModel() {
    var blank = Fakes.blank(SHAPE);
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    Baseline b = Baseline.compute(blank, Fakes.withErrors(0.25, 0.04, 0.01), ReconstructionError.MEAN_SQUARED_ERROR, clock);
    assertThat(b.sortedErrors()).usingComparatorWithPrecision(1e-6).containsExactly(0.01, 0.04, 0.25);
    assertThat(b.autoencoderFingerprint()).isEqualTo("blank");
    assertThat(b.shape()).isEqualTo(SHAPE);
    assertThat(b.createdAt()).isEqualTo(T0);
    assertThat(b.errorMeasure()).isEqualTo(ReconstructionError.MEAN_SQUARED_ERROR);
  }

  @Test
  void computeScoresLargeSetsWithTheSameResultAsOneImageAtATime() {
    ImageShape shape = ImageShape.grey(8, 8);
    var pca = PcaAutoencoder.fit(SyntheticImages.blobs(shape, 200, 1), 4, 1);
    ImageBatch images = SyntheticImages.blobs(shape, 529, 2);
    Baseline b = Baseline.compute(pca, images, ReconstructionError.BINARY_CROSS_ENTROPY);
    double last = ReconstructionError.BINARY_CROSS_ENTROPY.of(images.image(images.size() - 1),
        pca.reconstruct(images.slice(images.size() - 1, images.size()))[0]);
    assertThat(b.count()).isEqualTo(images.size());
    assertThat(b.sortedErrors()).contains(last);
  }

  @Test
  void imagesOfAnotherShapeAreRefused() {
    var blank = Fakes.blank(ImageShape.grey(2, 2));
    assertThatThrownBy(() -> Baseline.compute(blank, Fakes.withErrors(0.1, 0.2), ReconstructionError.MEAN_SQUARED_ERROR))
        .hasMessage("batch shape must be 1x2x2 (the autoencoder's input shape), but was 1x1x1");
  }

  @Test
  void badErrorsAreRefusedWithIndexAndValue() {
    var mse = ReconstructionError.MEAN_SQUARED_ERROR;
    assertThatThrownBy(() -> Baseline.of(new double[] {0.1}, mse, SHAPE, "fp", T0))
        .hasMessage("errors must hold at least 2 values, but held 1");
    assertThatThrownBy(() -> Baseline.of(new double[] {0.1, Double.NaN}, mse, SHAPE, "fp", T0))
        .hasMessage("errors[1] must be finite and non-negative, but was NaN");
    assertThatThrownBy(() -> Baseline.of(new double[] {-1, 0.1}, mse, SHAPE, "fp", T0))
        .hasMessage("errors[0] must be finite and non-negative, but was -1.0");
    assertThatThrownBy(() -> Baseline.of(new double[] {0.1, 0.2}, mse, SHAPE, " ", T0))
        .hasMessage("autoencoderFingerprint must not be blank");
    Baseline b = Baseline.of(new double[] {0.1, 0.2}, mse, SHAPE, "fp", T0);
    assertThatThrownBy(() -> b.quantile(1.5)).hasMessage("q must be in [0, 1], but was 1.5");
  }

  @Test
  void theIdChangesWithTheContent() {
    var mse = ReconstructionError.MEAN_SQUARED_ERROR;
    Baseline a = Baseline.of(new double[] {0.1, 0.2}, mse, SHAPE, "fp", T0);
    assertThat(a.id()).hasSize(16).isEqualTo(Baseline.of(new double[] {0.2, 0.1}, mse, SHAPE, "fp", T0).id());
    assertThat(a.id()).isNotEqualTo(Baseline.of(new double[] {0.1, 0.3}, mse, SHAPE, "fp", T0).id());
    assertThat(a.id()).isNotEqualTo(Baseline.of(new double[] {0.1, 0.2}, mse, SHAPE, "other", T0).id());
  }


  @Test
  void computeKeepsPerPixelStatisticsWhoseMeanIsTheMeanError() {
    ImageShape shape = ImageShape.grey(8, 8);
    var pca = PcaAutoencoder.fit(SyntheticImages.blobs(shape, 200, 1), 4, 1);
    ImageBatch images = SyntheticImages.blobs(shape, 600, 3);
    Baseline b = Baseline.compute(pca, images, ReconstructionError.MEAN_SQUARED_ERROR);
    PixelErrorStatistics stats = b.pixelStatistics().orElseThrow();
    assertThat(stats.count()).isEqualTo(600);
    assertThat(stats.shape()).isEqualTo(shape);
    double meanOfMeans = 0;
    for (float m : stats.mean()) {
      meanOfMeans += m;
    }
    assertThat(meanOfMeans / shape.size()).isCloseTo(b.mean(), offset(1e-6 * b.mean()));
    // pixel 0's variance, by hand
    float[][] out = pca.reconstruct(images);
    double s = 0;
    double ss = 0;
    for (int i = 0; i < images.size(); i++) {
      double e = Math.pow(images.pixel(i, 0) - out[i][0], 2);
      s += e;
      ss += e * e;
    }
    double variance = (ss - s * s / images.size()) / (images.size() - 1);
    assertThat((double) stats.variance()[0]).isCloseTo(variance, offset(1e-5 * variance + 1e-12));
    assertThat(b.preprocessing()).isEqualTo(ImagePreprocessing.none());
  }

  @Test
  void aBaselineOfErrorsAloneHasNoPixelStatisticsUntilGiven() {
    Baseline b = Baseline.of(new double[] {1, 2, 3}, ReconstructionError.MEAN_SQUARED_ERROR, SHAPE, "fp", T0);
    assertThat(b.pixelStatistics()).isEmpty();
    PixelErrorStatistics stats = PixelErrorStatistics.of(SHAPE, 3, new float[SHAPE.size()], new float[SHAPE.size()]);
    Baseline with = b.withPixelStatistics(stats);
    assertThat(with.pixelStatistics()).contains(stats);
    assertThat(with.id()).isNotEqualTo(b.id());
    assertThatThrownBy(() -> b.withPixelStatistics(PixelErrorStatistics.of(SHAPE, 4, new float[SHAPE.size()],
        new float[SHAPE.size()]))).hasMessage("statistics must be of 3 images of shape " + SHAPE + ", but were of 4 of "
        + SHAPE);
    ImageShape two = ImageShape.grey(1, 2);
    assertThatThrownBy(() -> PixelErrorStatistics.of(two, 3, new float[1], new float[2]))
        .hasMessage("mean must hold 2 values (shape 1x1x2), but held 1");
    assertThatThrownBy(() -> PixelErrorStatistics.of(two, 3, new float[2], new float[] {0, -1}))
        .hasMessage("variance[1] must be finite and non-negative, but was -1.0");
  }
}
