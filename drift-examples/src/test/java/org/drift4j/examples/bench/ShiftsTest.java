package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
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
}
