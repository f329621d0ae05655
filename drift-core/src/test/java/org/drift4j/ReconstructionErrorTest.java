package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ReconstructionErrorTest {

  @Test
  void binaryCrossEntropyMatchesItsFormula() {
    double expected = -(Math.log(0.8) + Math.log(1 - 0.3)) / 2;
    assertThat(ReconstructionError.BINARY_CROSS_ENTROPY.of(new float[] {1, 0}, new float[] {0.8f, 0.3f}))
        .isCloseTo(expected, offset(1e-6));
  }

  @Test
  void binaryCrossEntropyHasAnEntropyFloorOnGreyPixels() {
    double floor = ReconstructionError.BINARY_CROSS_ENTROPY.of(new float[] {0.5f}, new float[] {0.5f});
    assertThat(floor).isCloseTo(Math.log(2), offset(1e-6));
    assertThat(ReconstructionError.MEAN_SQUARED_ERROR.of(new float[] {0.5f}, new float[] {0.5f})).isZero();
  }

  @Test
  void binaryCrossEntropyClipsOutputsSoPerfectBinaryOutputStaysFinite() {
    assertThat(ReconstructionError.BINARY_CROSS_ENTROPY.of(new float[] {1, 0}, new float[] {0, 1}))
        .isCloseTo(-Math.log(ReconstructionError.EPSILON), offset(1e-3));
  }

  @Test
  void squaredAndAbsoluteErrorsAverageOverPixels() {
    float[] t = {0, 1, 0.5f, 0.5f};
    float[] o = {0.5f, 0.5f, 0.5f, 0};
    assertThat(ReconstructionError.MEAN_SQUARED_ERROR.of(t, o)).isCloseTo(0.75 / 4, offset(1e-9));
    assertThat(ReconstructionError.MEAN_ABSOLUTE_ERROR.of(t, o)).isCloseTo(1.5 / 4, offset(1e-9));
  }

  @Test
  void aNonFiniteOutputValueIsRefusedByEveryMeasure() {
    for (ReconstructionError measure : ReconstructionError.values()) {
      assertThatThrownBy(() -> measure.of(new float[] {0, 1}, new float[] {0.5f, Float.NaN})).as("%s", measure)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("output value 1 must be finite, but was NaN");
      // clipping must not hide an infinity
      assertThatThrownBy(() -> measure.of(new float[] {0, 1}, new float[] {Float.POSITIVE_INFINITY, 0.5f}))
          .hasMessage("output value 0 must be finite, but was Infinity");
    }
  }

  @Test
  void anAutoencodersNonFiniteReconstructionIsItsContractBrokenNamingTheImage() {
    ImageBatch batch = ImageBatch.ofFlat(ImageShape.grey(1, 2), new float[] {0, 1, 0.5f, 0.5f});
    for (ReconstructionError measure : ReconstructionError.values()) {
      assertThatThrownBy(() -> measure.errors(batch, new float[][] {{0.5f, 0.5f}, {0.5f, Float.NEGATIVE_INFINITY}}))
          .as("%s", measure)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("reconstruction of image 1 must be finite, but value 1 was -Infinity; the autoencoder produced"
              + " an invalid output");
    }
  }

  @Test
  void mismatchedLengthsAreRefused() {
    assertThatThrownBy(() -> ReconstructionError.MEAN_ABSOLUTE_ERROR.of(new float[3], new float[2]))
        .hasMessage("output.length must equal target.length 3, but was 2");
  }

  @Test
  void perPixelErrorsAverageToThePerImageErrorToTheLastBit() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (ReconstructionError measure : ReconstructionError.values()) {
      for (int trial = 0; trial < 50; trial++) {
        int n = 1 + r.nextInt(900);
        float[] target = new float[n];
        float[] output = new float[n];
        for (int k = 0; k < n; k++) {
          // black, white and grey targets; saturated and interior outputs
          int kind = r.nextInt(4);
          target[k] = kind == 0 ? 0f : kind == 1 ? 1f : (float) r.nextDouble();
          output[k] = r.nextInt(10) == 0 ? (r.nextBoolean() ? 0f : 1f) : (float) r.nextDouble();
        }
        double[] pixels = measure.pixelErrors(target, output);
        double sum = 0;
        for (double v : pixels) {
          assertThat(v).isGreaterThanOrEqualTo(0);
          sum += v;
        }
        assertThat(sum / n).as("%s, %d values", measure, n).isEqualTo(measure.of(target, output));
      }
    }
  }

  @Test
  void perPixelErrorsRefuseWhatThePerImageErrorRefuses() {
    assertThatThrownBy(() -> ReconstructionError.BINARY_CROSS_ENTROPY.pixelErrors(new float[] {0, 1},
        new float[] {0.5f, Float.POSITIVE_INFINITY})).hasMessage("output value 1 must be finite, but was Infinity");
    assertThatThrownBy(() -> ReconstructionError.MEAN_SQUARED_ERROR.pixelErrors(new float[2], new float[3]))
        .hasMessage("output.length must equal target.length 2, but was 3");
  }
}
