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
  void aNonFiniteReconstructionIsRefused() {
    assertThatThrownBy(() -> ReconstructionError.MEAN_SQUARED_ERROR.of(new float[] {0, 0}, new float[] {0, Float.NaN}))
        .hasMessage("reconstruction value 1 must be finite, but was NaN; the autoencoder produced an invalid output");
  }

  @Test
  void mismatchedLengthsAreRefused() {
    assertThatThrownBy(() -> ReconstructionError.MEAN_ABSOLUTE_ERROR.of(new float[3], new float[2]))
        .hasMessage("output.length must equal target.length 3, but was 2");
  }
}
