package org.drift4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;

class TensorLayoutTest {

  private static final ImageShape RGB = new ImageShape(3, 2, 2);

  @Test
  void channelsFirstAndChannelsLastAreToldApartByWhereTheChannelCountStands() throws Exception {
    assertThat(TensorLayout.of("x", new long[] {5, 3, 2, 2}, RGB, null)).isEqualTo(TensorLayout.NCHW);
    assertThat(TensorLayout.of("x", new long[] {5, 2, 2, 3}, RGB, null)).isEqualTo(TensorLayout.NHWC);
  }

  @Test
  void greyImagesMayComeWithoutAChannelAxisOrFlat() throws Exception {
    ImageShape grey = ImageShape.grey(28, 28);
    assertThat(TensorLayout.of("x", new long[] {1, 28, 28}, grey, null)).isEqualTo(TensorLayout.NHW);
    assertThat(TensorLayout.of("x", new long[] {7, 784}, grey, null)).isEqualTo(TensorLayout.FLAT);
    assertThat(TensorLayout.of("x", new long[] {7, 1, 28, 28}, grey, null)).isEqualTo(TensorLayout.NCHW);
    assertThat(TensorLayout.of("x", new long[] {7, 28, 28, 1}, grey, null)).isEqualTo(TensorLayout.NHWC);
  }

  @Test
  void aTensorThatReadsBothWaysIsRefusedUnlessItsLayoutIsNamed() throws Exception {
    ImageShape cube = new ImageShape(3, 3, 3);
    assertThatThrownBy(() -> TensorLayout.of("input 'x'", new long[] {1, 3, 3, 3}, cube, null))
        .isInstanceOf(RequestException.class)
        .hasMessage("input 'x' has shape [1, 3, 3, 3], which reads as NCHW and as NHWC for images of 3x3x3; name the"
            + " layout (\"parameters\": {\"layout\": \"NHWC\"})");
    assertThat(TensorLayout.of("x", new long[] {1, 3, 3, 3}, cube, "nhwc")).isEqualTo(TensorLayout.NHWC);
  }

  @Test
  void aNamedLayoutTheShapeContradictsIsA422() {
    assertThatThrownBy(() -> TensorLayout.of("x", new long[] {5, 3, 2, 2}, RGB, "NHWC"))
        .isInstanceOf(RequestException.class).hasMessageEndingWith("in layout NHWC")
        .satisfies(e -> assertThat(((RequestException) e).reason()).isEqualTo(Reason.WRONG_SHAPE));
    assertThatThrownBy(() -> TensorLayout.of("x", new long[] {5, 3, 2, 2}, RGB, "CHW"))
        .isInstanceOf(RequestException.class).hasMessage("layout must be NCHW or NHWC, but was CHW");
  }

  @Test
  void flatColourImagesAreRefusedAsTheirChannelOrderIsUnknown() {
    assertThatThrownBy(() -> TensorLayout.of("x", new long[] {1, 12}, RGB, null))
        .isInstanceOf(RequestException.class)
        .hasMessageContaining("expected [N, 3, 2, 2] (NCHW) or [N, 2, 2, 3] (NHWC)");
  }

  @Test
  void channelsLastIsReorderedToChannelsFirst() {
    // one 2x2 RGB image, pixels (r, g, b) = (p, 10 + p, 20 + p) for p = 0..3, channels last
    float[] hwc = {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23};
    assertThat(TensorLayout.NHWC.toChw(hwc, 1, RGB)).containsExactly(0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23);
    assertThat(TensorLayout.NCHW.toChw(hwc, 1, RGB)).isSameAs(hwc);
  }
}
