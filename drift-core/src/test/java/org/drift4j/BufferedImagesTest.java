package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class BufferedImagesTest {

  /** {@code image} written as a PNG by ImageIO and read back, as a file would be. */
  private static BufferedImage throughPng(BufferedImage image) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", png)).as("ImageIO writes this image as PNG").isTrue();
    return ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
  }

  private static float[] pixels(BufferedImage image, int channels) {
    float[] target = new float[channels * image.getWidth() * image.getHeight()];
    BufferedImages.copyTo(image, channels, target, 0);
    return target;
  }

  private static BufferedImage component(ColorSpace space, boolean alpha, int transfer, int width) {
    ComponentColorModel cm = new ComponentColorModel(space, alpha, false,
        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transfer);
    return new BufferedImage(cm, cm.createCompatibleWritableRaster(width, 1), false, null);
  }

  @Test
  void sixteenBitGreyIsReadAtItsBitDepthWithoutGamma() throws IOException {
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = grey.getRaster();
    r.setSample(0, 0, 0, 19_268); // 0.294
    r.setSample(1, 0, 0, 65_535);
    r.setSample(2, 0, 0, 1);
    BufferedImage read = throughPng(grey);
    assertThat(read.getColorModel().getComponentSize(0)).isEqualTo(16);
    assertThat(pixels(read, 1)).containsExactly(19_268 / 65_535f, 1f, 1 / 65_535f);
    assertThat(pixels(read, 3)).containsExactly(19_268 / 65_535f, 1f, 1 / 65_535f, 19_268 / 65_535f, 1f, 1 / 65_535f,
        19_268 / 65_535f, 1f, 1 / 65_535f);
  }

  @Test
  void greyWithAlphaCompositesOnBlack() throws IOException {
    BufferedImage image = component(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, DataBuffer.TYPE_BYTE, 3);
    WritableRaster r = image.getRaster();
    r.setPixel(0, 0, new int[] {200, 51});
    r.setPixel(1, 0, new int[] {255, 0});
    r.setPixel(2, 0, new int[] {10, 255});
    BufferedImage read = throughPng(image);
    assertThat(read.getColorModel().hasAlpha()).isTrue();
    assertThat(pixels(read, 1)).containsExactly(200 / 255f * (51 / 255f), 0f, 10 / 255f);
  }

  @Test
  void rgbaCompositesOnBlackSoATransparentWhitePixelReadsZero() throws IOException {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x80FF8000);
    image.setRGB(1, 0, 0x00FFFFFF);
    BufferedImage read = throughPng(image);
    float a = 128 / 255f;
    assertThat(pixels(read, 3)).containsExactly(1f * a, 0f, 128 / 255f * a, 0f, 0f * a, 0f);
    assertThat(pixels(read, 1)).containsExactly(Math.min(1f, 0.299f * a + 0.587f * (128 / 255f * a)), 0f);
  }

  @Test
  void sixteenBitRgbKeepsItsPrecision() throws IOException {
    BufferedImage image = component(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, DataBuffer.TYPE_USHORT, 1);
    image.getRaster().setPixel(0, 0, new int[] {1, 32_768, 65_535});
    BufferedImage read = throughPng(image);
    assertThat(read.getColorModel().getComponentSize(0)).isEqualTo(16);
    assertThat(pixels(read, 3)).containsExactly(1 / 65_535f, 32_768 / 65_535f, 1f);
  }

  @Test
  void indexedImagesAreReadThroughTheirPaletteWithItsTransparency() throws IOException {
    byte[] red = {0, 10, (byte) 255, (byte) 255};
    byte[] green = {0, 20, (byte) 255, (byte) 255};
    byte[] blue = {0, 30, (byte) 255, (byte) 255};
    byte[] alpha = {(byte) 255, (byte) 255, (byte) 255, 0};
    IndexColorModel palette = new IndexColorModel(2, 4, red, green, blue, alpha);
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
    for (int x = 0; x < 4; x++) {
      image.getRaster().setSample(x, 0, 0, x);
    }
    BufferedImage read = throughPng(image);
    assertThat(read.getColorModel()).isInstanceOf(IndexColorModel.class);
    assertThat(pixels(read, 3)).containsExactly(0f, 10 / 255f, 1f, 0f, 0f, 20 / 255f, 1f, 0f, 0f, 30 / 255f, 1f, 0f);
    assertThat(pixels(read, 1)).containsExactly(0f, Math.min(1f, 0.299f * (10 / 255f) + 0.587f * (20 / 255f)
        + 0.114f * (30 / 255f)), 1f, 0f);
  }

  @Test
  void oneBitGreyIsBlackOrWhite() throws IOException {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    image.getRaster().setSample(1, 0, 0, 1);
    assertThat(pixels(throughPng(image), 1)).containsExactly(0f, 1f);
  }

  @Test
  void eightBitGreyAndRgbReadAsBefore() {
    BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 51);
    assertThat(pixels(grey, 1)).containsExactly(0.2f);
    BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0x336699);
    assertThat(pixels(bgr, 3)).containsExactly(0.2f, 0.4f, 0.6f);
    assertThat(pixels(bgr, 1)).containsExactly(Math.min(1f, 0.299f * 0.2f + 0.587f * 0.4f + 0.114f * 0.6f));
  }

  @Test
  void premultipliedImagesAreNotMultipliedTwice() {
    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
    image.getRaster().setPixel(0, 0, new int[] {100, 100, 100, 200});
    assertThat(pixels(image, 1)).containsExactly(100 / 255f);
  }

  @Test
  void otherColourSpacesGoThroughSrgb() {
    BufferedImage image = component(ColorSpace.getInstance(ColorSpace.CS_PYCC), false, DataBuffer.TYPE_BYTE, 1);
    image.getRaster().setPixel(0, 0, new int[] {120, 60, 200});
    int rgb = image.getRGB(0, 0);
    assertThat(pixels(image, 3)).containsExactly(((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f,
        (rgb & 0xFF) / 255f);
  }
}
