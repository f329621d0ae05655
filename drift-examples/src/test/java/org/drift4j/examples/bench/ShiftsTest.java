package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;

class ShiftsTest {

  private static ImageBatch dot() {
    float[] flat = new float[25];
    flat[12] = 1f; // centre of 5x5
    return ImageBatch.ofFlat(ImageShape.grey(5, 5), flat);
  }

  @Test
  void translationMovesPixels() {
    ImageBatch moved = Shifts.translate(dot(), 1, 2);
    assertThat(moved.pixel(0, (2 + 2) * 5 + 3)).isEqualTo(1f);
    assertThat(moved.pixel(0, 12)).isZero();
  }

  @Test
  void aFullTurnAndUnitZoomChangeNothing() {
    assertThat(Shifts.rotate(dot(), 360).toFlatArray()).containsExactly(dot().toFlatArray(), offset(1e-5f));
    assertThat(Shifts.zoom(dot(), 1).toFlatArray()).containsExactly(dot().toFlatArray(), offset(1e-6f));
  }

  @Test
  void rotationByAQuarterTurnMovesAnOffCentrePixel() {
    float[] flat = new float[25];
    flat[2 * 5 + 4] = 1f; // right of centre
    ImageBatch turned = Shifts.rotate(ImageBatch.ofFlat(ImageShape.grey(5, 5), flat), 90);
    assertThat(turned.pixel(0, 2 * 5 + 4)).isZero();
    assertThat(turned.pixel(0, 4 * 5 + 2) + turned.pixel(0, 2)).isCloseTo(1f, offset(1e-5f));
  }

  @Test
  void zoomEnlargesAroundTheCentre() {
    ImageBatch zoomed = Shifts.zoom(dot(), 2);
    assertThat(zoomed.pixel(0, 12)).isEqualTo(1f);
    assertThat(zoomed.pixel(0, 11)).isCloseTo(0.5f, offset(1e-5f));
  }

  @Test
  void dilationByTwoGrowsADotRightAndDownAndByThreeAllAround() {
    ImageBatch two = Shifts.dilate(dot(), 2);
    // an output pixel takes the largest of itself and its right, lower and lower-right neighbours,
    // so the dot spreads left and up
    assertThat(two.pixel(0, 12)).isEqualTo(1f);
    assertThat(two.pixel(0, 11)).isEqualTo(1f);
    assertThat(two.pixel(0, 7)).isEqualTo(1f);
    assertThat(two.pixel(0, 6)).isEqualTo(1f);
    assertThat(two.pixel(0, 13)).isZero();
    float sumThree = 0;
    for (float v : Shifts.dilate(dot(), 3).toFlatArray()) {
      sumThree += v;
    }
    assertThat(sumThree).isEqualTo(9f);
    assertThat(Shifts.dilate(dot(), 1).toFlatArray()).containsExactly(dot().toFlatArray());
  }

  @Test
  void occlusionBlanksOneSquareInsideTheCentralRegion() {
    float[] ones = new float[2 * 28 * 28];
    java.util.Arrays.fill(ones, 1f);
    ImageBatch occluded = Shifts.occlude(ImageBatch.ofFlat(ImageShape.grey(28, 28), ones), 10, 3);
    for (int i = 0; i < 2; i++) {
      int zeros = 0;
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          if (occluded.pixel(i, y * 28 + x) == 0f) {
            zeros++;
            assertThat(x).isBetween(4, 23);
            assertThat(y).isBetween(4, 23);
          }
        }
      }
      assertThat(zeros).isEqualTo(100);
    }
    assertThatThrownBy(() -> Shifts.occlude(dot(), 6, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("side must be between 1 and 5 pixels (the central region of a 5 x 5 image), but was 6");
  }

  @Test
  void brightnessScalesAndClipsPixels() {
    float[] flat = {0.5f, 1f, 0f, 0.8f};
    assertThat(Shifts.brightness(ImageBatch.ofFlat(ImageShape.grey(2, 2), flat), 0.7).toFlatArray())
        .containsExactly(new float[] {0.35f, 0.7f, 0f, 0.56f}, offset(1e-6f));
    assertThat(Shifts.brightness(ImageBatch.ofFlat(ImageShape.grey(2, 2), flat), 2).toFlatArray())
        .containsExactly(1f, 1f, 0f, 1f);
    assertThatThrownBy(() -> Shifts.brightness(dot(), -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("factor must be a finite value of at least 0, but was -1.0");
  }
}
