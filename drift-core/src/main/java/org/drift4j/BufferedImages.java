package org.drift4j;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;

/**
 * Turns a {@link BufferedImage} into float pixels in [0, 1], the conversion behind
 * {@link ImageBatch#ofImages}.
 *
 * <ul>
 *   <li>Grey and RGB images (8 or 16 bits a sample, packed or not) are read from their raster's
 *       samples at their real bit depth, {@code sample / (2^bits - 1)}, with no gamma or colour
 *       conversion; float rasters are taken as they are, clipped to [0, 1].
 *   <li>Indexed images are read through their palette ({@code red / 255} …), again unconverted.
 *   <li>Alpha composites on black: each value is multiplied by the alpha, so a transparent pixel
 *       reads 0 whatever its colour; premultiplied images already hold that product.
 *   <li>Images in other colour spaces (CMYK, YCC …) go through {@link BufferedImage#getRGB}, that
 *       is, are converted to 8-bit sRGB first, and then composite on black too.
 * </ul>
 *
 * <p>One channel from colour is luminance {@code 0.299 R + 0.587 G + 0.114 B} (a neutral pixel,
 * R = G = B, keeps its value exactly); three channels from grey repeat the grey value.
 *
 * <p>Stateless and thread-safe.
 */
final class BufferedImages {

  private BufferedImages() {}

  /**
   * Writes {@code image}'s pixels into {@code target} from {@code offset}, channel-major (CHW),
   * as {@code channels} (1 or 3) channels.
   */
  static void copyTo(BufferedImage image, int channels, float[] target, int offset) {
    ColorModel cm = image.getColorModel();
    if (cm instanceof IndexColorModel palette) {
      copyIndexed(image.getRaster(), palette, channels, target, offset);
    } else if ((cm instanceof ComponentColorModel || cm instanceof PackedColorModel) && isGreyOrRgb(cm)) {
      copySamples(image.getRaster(), cm, channels, target, offset);
    } else {
      copyThroughSrgb(image, channels, target, offset);
    }
  }

  private static boolean isGreyOrRgb(ColorModel cm) {
    int type = cm.getColorSpace().getType();
    return (type == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1)
        || (type == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3);
  }

  /** Colour components first, then alpha: the band order of component and packed colour models. */
  private static void copySamples(Raster raster, ColorModel cm, int channels, float[] target, int offset) {
    int bands = cm.getNumComponents();
    int colours = cm.getNumColorComponents();
    boolean multiplyAlpha = cm.hasAlpha() && !cm.isAlphaPremultiplied();
    int transfer = raster.getTransferType();
    boolean floating = transfer == DataBuffer.TYPE_FLOAT || transfer == DataBuffer.TYPE_DOUBLE;
    float[] max = new float[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = floating ? 1f : (float) ((1L << cm.getComponentSize(b)) - 1);
    }
    int width = raster.getWidth();
    float[] row = new float[width * bands];
    float[] pixel = new float[3];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int base = x * bands;
        float alpha = multiplyAlpha ? unit(row[base + colours] / max[colours]) : 1f;
        for (int c = 0; c < 3; c++) {
          int band = colours == 1 ? 0 : c;
          pixel[c] = unit(row[base + band] / max[band]) * alpha;
        }
        put(pixel, channels, target, offset, width * raster.getHeight(), y * width + x);
      }
    }
  }

  private static void copyIndexed(Raster raster, IndexColorModel palette, int channels, float[] target, int offset) {
    int width = raster.getWidth();
    int[] row = new int[width];
    float[] pixel = new float[3];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        int index = row[x];
        float alpha = palette.hasAlpha() ? palette.getAlpha(index) / 255f : 1f;
        pixel[0] = palette.getRed(index) / 255f * alpha;
        pixel[1] = palette.getGreen(index) / 255f * alpha;
        pixel[2] = palette.getBlue(index) / 255f * alpha;
        put(pixel, channels, target, offset, width * raster.getHeight(), y * width + x);
      }
    }
  }

  private static void copyThroughSrgb(BufferedImage image, int channels, float[] target, int offset) {
    int width = image.getWidth();
    float[] pixel = new float[3];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        int argb = image.getRGB(x, y);
        float alpha = ((argb >>> 24) & 0xFF) / 255f;
        pixel[0] = ((argb >> 16) & 0xFF) / 255f * alpha;
        pixel[1] = ((argb >> 8) & 0xFF) / 255f * alpha;
        pixel[2] = (argb & 0xFF) / 255f * alpha;
        put(pixel, channels, target, offset, width * image.getHeight(), y * width + x);
      }
    }
  }

  /** Stores one pixel as luminance (a neutral pixel exactly as its value) or as three planes. */
  private static void put(float[] rgb, int channels, float[] target, int offset, int plane, int p) {
    if (channels == 1) {
      boolean neutral = rgb[0] == rgb[1] && rgb[1] == rgb[2];
      target[offset + p] = neutral ? rgb[0] : Math.min(1f, 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2]);
    } else {
      target[offset + p] = rgb[0];
      target[offset + plane + p] = rgb[1];
      target[offset + 2 * plane + p] = rgb[2];
    }
  }

  /** Clips to [0, 1]; NaN becomes 0. */
  private static float unit(float v) {
    return v >= 0f ? Math.min(1f, v) : 0f;
  }
}
