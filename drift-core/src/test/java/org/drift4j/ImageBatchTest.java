package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageBatchTest {

  private static final ImageShape TWO_BY_TWO = ImageShape.grey(2, 2);

  @Test
  void floatRowsAreCopiedNotShared() {
    float[][] rows = {{0f, 0.25f, 0.5f, 1f}};
    ImageBatch batch = ImageBatch.of(TWO_BY_TWO, rows);
    rows[0][0] = 0.9f;
    assertThat(batch.pixel(0, 0)).isZero();
    assertThat(batch.image(0)).containsExactly(0f, 0.25f, 0.5f, 1f);
    assertThat(batch.size()).isEqualTo(1);
  }

  @Test
  void aBatchOverBytesReadsTheBufferFromItsPositionAsTheByteFactoryDoes() {
    byte[] raw = {9, 0, (byte) 64, (byte) 128, (byte) 255, 1, 2, 3, 4, 5, 6, 7, 8};
    ByteBuffer buffer = ByteBuffer.wrap(raw);
    buffer.position(1);
    ImageBatch batch = ImageBatch.ofBytes(TWO_BY_TWO, buffer);
    ImageBatch copied = ImageBatch.ofBytes(TWO_BY_TWO, new byte[][] {{0, (byte) 64, (byte) 128, (byte) 255},
        {1, 2, 3, 4}, {5, 6, 7, 8}});
    assertThat(buffer.position()).as("the caller's buffer is not moved").isEqualTo(1);
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.toFlatArray()).containsExactly(copied.toFlatArray());
    assertThat(batch.pixel(0, 3)).isEqualTo(1f);
    assertThat(batch.image(2)).containsExactly(copied.image(2));
    assertThat(batch.slice(1, 3).toFlatArray()).containsExactly(copied.slice(1, 3).toFlatArray());
    assertThat(batch.select(new int[] {2, 0, 2}).toFlatArray()).containsExactly(copied.select(new int[] {2, 0, 2})
        .toFlatArray());
    float[] target = new float[6];
    batch.copyTo(1, 2, target, 1);
    assertThat(target).containsExactly(0f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 0f);
    assertThat(ImageBatch.concat(List.of(batch, copied)).toFlatArray()).hasSize(24).startsWith(copied.toFlatArray());
  }

  @Test
  void aBatchOverBytesOfAMappedFileNeedsNoHeapForItsPixels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("pixels.raw");
    byte[] raw = new byte[5 * 4];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 12);
    }
    java.nio.file.Files.write(file, raw);
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      ImageBatch batch = ImageBatch.ofBytes(TWO_BY_TWO, channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0,
          raw.length));
      assertThat(batch.size()).isEqualTo(5);
      assertThat(batch.pixel(4, 3)).isEqualTo(19 * 12 / 255f);
    }
  }

  @Test
  void aBufferThatHoldsNoWholeImageIsRefused() {
    assertThatThrownBy(() -> ImageBatch.ofBytes(TWO_BY_TWO, ByteBuffer.allocate(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pixels must hold a multiple of 4 bytes (one 1x2x2 image), but held 6");
    assertThatThrownBy(() -> ImageBatch.ofBytes(TWO_BY_TWO, ByteBuffer.allocate(0)))
        .hasMessage("batch must hold at least 1 image, but was empty");
  }

  @Test
  void anEmptyBatchIsRefused() {
    assertThatThrownBy(() -> ImageBatch.of(TWO_BY_TWO, new float[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch must hold at least 1 image, but was empty");
    assertThatThrownBy(() -> ImageBatch.ofFlat(TWO_BY_TWO, new float[0]))
        .hasMessage("batch must hold at least 1 image, but was empty");
  }

  @Test
  void aRaggedRowIsRefusedWithItsIndexAndLength() {
    float[][] rows = {{0, 0, 0, 0}, {0, 0, 0}};
    assertThatThrownBy(() -> ImageBatch.of(TWO_BY_TWO, rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image 1 must have 4 values (shape 1x2x2), but had 3");
  }

  @Test
  void aFlatArrayOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> ImageBatch.ofFlat(TWO_BY_TWO, new float[6]))
        .hasMessage("pixels.length must be a multiple of 4 (one 1x2x2 image), but was 6");
  }

  @Test
  void nanInfinityAndOutOfRangePixelsAreRefusedWithImageAndPixel() {
    assertThatThrownBy(() -> ImageBatch.of(TWO_BY_TWO, new float[][] {{0, 0, 0, 0}, {0, Float.NaN, 0, 0}}))
        .hasMessage("image 1 pixel 1 must be a finite value in [0, 1], but was NaN");
    assertThatThrownBy(() -> ImageBatch.of(TWO_BY_TWO, new float[][] {{0, 0, Float.POSITIVE_INFINITY, 0}}))
        .hasMessage("image 0 pixel 2 must be a finite value in [0, 1], but was Infinity");
    assertThatThrownBy(() -> ImageBatch.ofFlat(TWO_BY_TWO, new float[] {0, 0, 0, 0, 0, 0, 0, 255f}))
        .hasMessage("image 1 pixel 3 must be a finite value in [0, 1], but was 255.0");
    assertThatThrownBy(() -> ImageBatch.of(TWO_BY_TWO, new float[][] {{-0.01f, 0, 0, 0}}))
        .hasMessage("image 0 pixel 0 must be a finite value in [0, 1], but was -0.01");
  }

  @Test
  void bytesAreReadAsUnsignedAndScaledTo01() {
    ImageBatch batch = ImageBatch.ofBytes(TWO_BY_TWO, new byte[][] {{0, 127, (byte) 128, (byte) 255}});
    assertThat(batch.image(0)).containsExactly(0f, 127 / 255f, 128 / 255f, 1f);
    assertThatThrownBy(() -> ImageBatch.ofBytes(TWO_BY_TWO, new byte[][] {{0, 1}}))
        .hasMessage("image 0 must have 4 values (shape 1x2x2), but had 2");
  }

  @Test
  void greyBufferedImagesAreRead() {
    BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(1, 0, 0, 255);
    ImageBatch batch = ImageBatch.ofImages(TWO_BY_TWO, List.of(grey));
    assertThat(batch.image(0)).containsExactly(0f, 1f, 0f, 0f);
  }

  @Test
  void rgbBufferedImagesBecomeLuminanceOrThreePlanes() {
    BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, 0xFF0000);
    rgb.setRGB(1, 1, 0xFFFFFF);
    ImageBatch grey = ImageBatch.ofImages(TWO_BY_TWO, List.of(rgb));
    assertThat(grey.pixel(0, 0)).isCloseTo(0.299f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(grey.pixel(0, 3)).isEqualTo(1f);
    ImageBatch colour = ImageBatch.ofImages(new ImageShape(3, 2, 2), List.of(rgb));
    assertThat(colour.image(0)).containsExactly(1f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f);
  }

  @Test
  void sixteenBitGreyIsReadWithoutGammaAndTransparentPixelsAsBlack() {
    BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSample(0, 0, 0, 19_268);
    BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00FFFFFF);
    argb.setRGB(1, 0, 0xFFFFFFFF);
    ImageBatch batch = ImageBatch.ofImages(TWO_BY_TWO, List.of(grey, argb));
    assertThat(batch.image(0)).containsExactly(19_268 / 65_535f, 0f, 0f, 0f);
    assertThat(batch.image(1)).containsExactly(0f, 1f, 0f, 0f);
  }

  @Test
  void aBufferedImageOfTheWrongSizeIsRefusedWithBothSizes() {
    BufferedImage big = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    assertThatThrownBy(() -> ImageBatch.ofImages(TWO_BY_TWO, List.of(new BufferedImage(2, 2, 10), big)))
        .hasMessage("image 1 must be 2x2 (width x height), but was 3x2; resize it, e.g. with ImagePreprocessing.resize(BILINEAR)");
  }

  @Test
  void slicesSelectionsAndConcatenationKeepPixels() {
    ImageBatch batch = ImageBatch.ofFlat(ImageShape.grey(1, 1), new float[] {0.1f, 0.2f, 0.3f});
    assertThat(batch.slice(1, 3).toFlatArray()).containsExactly(0.2f, 0.3f);
    assertThat(batch.select(new int[] {2, 0}).toFlatArray()).containsExactly(0.3f, 0.1f);
    assertThat(ImageBatch.concat(List.of(batch, batch.slice(0, 1))).toFlatArray())
        .containsExactly(0.1f, 0.2f, 0.3f, 0.1f);
    assertThatThrownBy(() -> ImageBatch.concat(List.of(batch, ImageBatch.ofFlat(TWO_BY_TWO, new float[4]))))
        .hasMessage("batches[1] must have shape 1x1x1, but had 1x2x2");
  }

}
