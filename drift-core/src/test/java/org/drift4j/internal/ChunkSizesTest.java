package org.drift4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;

class ChunkSizesTest {

  private static final ImageShape COLOUR = new ImageShape(3, 128, 128);

  @Test
  void aChunkHoldsAsManyImagesAsTheBudgetPays() {
    assertThat(ChunkSizes.images(1_000, 300, 256, "maxChunkBytes", COLOUR)).isEqualTo(3);
    assertThat(ChunkSizes.images(64L << 20, 6_000_000, 256, "maxChunkBytes", COLOUR)).isEqualTo(11);
  }

  @Test
  void theImageCapBoundsSmallImages() {
    assertThat(ChunkSizes.images(64L << 20, 3_136, 256, "maxChunkBytes", ImageShape.grey(28, 28))).isEqualTo(256);
  }

  @Test
  void oneImageThatFillsTheBudgetExactlyIsAChunkOfOne() {
    assertThat(ChunkSizes.images(5_000, 5_000, 256, "maxChunkBytes", COLOUR)).isEqualTo(1);
  }

  @Test
  void anImageLargerThanTheBudgetIsRefusedNamingTheBudgetAndTheSize() {
    assertThatThrownBy(() -> ChunkSizes.images(1_000_000, 6_000_000, 256, "maxChunkBytes", COLOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("one image of 3x128x128 needs 6000000 bytes of activations and copies, more than maxChunkBytes"
            + " 1000000; raise maxChunkBytes to at least 6000000");
  }

  @Test
  void valuesBelowOneAreRefused() {
    assertThatThrownBy(() -> ChunkSizes.images(0, 1, 1, "maxChunkBytes", COLOUR))
        .hasMessage("budgetBytes, bytesPerImage and maxImages must be at least 1, but were 0, 1 and 1");
  }
}
