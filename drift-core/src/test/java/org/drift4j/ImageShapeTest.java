package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageShapeTest {

  @Test
  void sizeIsChannelsTimesHeightTimesWidth() {
    assertThat(new ImageShape(3, 4, 5).size()).isEqualTo(60);
    assertThat(ImageShape.grey(28, 28)).isEqualTo(new ImageShape(1, 28, 28));
    assertThat(ImageShape.grey(28, 28)).hasToString("1x28x28");
  }

  @Test
  void aNonPositiveDimensionIsRefusedByName() {
    assertThatThrownBy(() -> new ImageShape(0, 28, 28)).hasMessage("channels must be at least 1, but was 0");
    assertThatThrownBy(() -> new ImageShape(1, -2, 28)).hasMessage("height must be at least 1, but was -2");
    assertThatThrownBy(() -> new ImageShape(1, 28, 0)).hasMessage("width must be at least 1, but was 0");
  }

  @Test
  void anOverflowingPixelCountIsRefused() {
    assertThatThrownBy(() -> new ImageShape(3, 50_000, 50_000))
        .hasMessageContaining("must fit in an int").hasMessageContaining("7500000000");
  }
}
