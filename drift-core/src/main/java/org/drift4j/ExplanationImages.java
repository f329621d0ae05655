package org.drift4j;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.drift4j.internal.AtomicFiles;

/**
 * Pictures of a {@link DriftExplanation}, drawn without a display or fonts (headless servers
 * included): the z-map as a heatmap over the batch's mean image, one panel per channel, with the
 * regions outlined and a colour scale; and the most anomalous images, one row each with the input,
 * its reconstruction and its error map, with the error scale. Red is errors up, blue errors down;
 * a pixel is drawn in full colour only when it is significant.
 *
 * <pre>{@code
 * ExplanationImages.write(DriftExplanation.of(autoencoder, baseline, batch, 16), Path.of("why"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ExplanationImages {

  /** The file {@link #write} puts the explanation's JSON in. */
  public static final String JSON_FILE = "explanation.json";
  /** The file {@link #write} puts the z-map in. */
  public static final String Z_MAP_FILE = "z-map.png";
  /** The file {@link #write} puts the top images in. */
  public static final String TOP_IMAGES_FILE = "top-images.png";

  private static final int MARGIN = 8;
  private static final int GAP = 6;
  private static final int TEXT = 2;
  /** Room for the longest title line. */
  private static final int MIN_WIDTH = 300;
  private static final int BACKGROUND = 0x202020;
  private static final int INK = 0xE0E0E0;
  private static final int UP = 0xE0301E;
  private static final int DOWN = 0x2E64E6;
  private static final String[] RGB = {"R", "G", "B"};

  private ExplanationImages() {}

  /**
   * Writes {@value #JSON_FILE}, {@value #Z_MAP_FILE} and {@value #TOP_IMAGES_FILE} into
   * {@code dir}, each atomically, creating the folder.
   *
   * @param explanation what to write
   * @param dir the folder
   * @throws IOException if a file cannot be written
   */
  public static void write(DriftExplanation explanation, Path dir) throws IOException {
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(dir, "dir");
    AtomicFiles.write(dir.resolve(JSON_FILE), explanation.toJson().getBytes(StandardCharsets.UTF_8));
    writePng(zMap(explanation), dir.resolve(Z_MAP_FILE));
    writePng(topImages(explanation), dir.resolve(TOP_IMAGES_FILE));
  }

  /**
   * Writes an image as PNG, atomically, creating parent folders.
   *
   * @param image the image
   * @param file where to write it
   * @throws IOException if it cannot be written
   */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(file, "file");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("no PNG writer is installed in this JVM");
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /**
   * The z-map as a heatmap over the batch's mean image, one panel per channel, the regions
   * outlined, with a title and a colour scale from −S to +S marking the significance threshold.
   *
   * @param explanation the explanation
   * @return an RGB image
   */
  public static BufferedImage zMap(DriftExplanation explanation) {
    ImageShape shape = explanation.shape();
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    int scale = Math.max(1, 224 / Math.max(h, w));
    float[] z = explanation.zMapView();
    byte[] significance = explanation.significanceView();
    double range = range(z, explanation.zThreshold());
    float[] grey = luminance(explanation.meanImageView(), shape);
    int panels = shape.channels();
    int panelWidth = w * scale;
    int width = Math.max(2 * MARGIN + panels * panelWidth + (panels - 1) * GAP, MIN_WIDTH);
    int line = PixelFont.height(TEXT) + 4;
    int top = MARGIN + 2 * line + (panels > 1 ? line : 0);
    int legendTop = top + h * scale + GAP + 4;
    BufferedImage image = canvas(width, legendTop + 12 + 2 + line + MARGIN);
    PixelFont.draw(image, "z-map, " + explanation.size() + " images vs " + explanation.baselineCount(), MARGIN, MARGIN,
        TEXT, INK);
    PixelFont.draw(image, "up " + percent(explanation.shareUp()) + " down " + percent(explanation.shareDown())
        + " |z|>" + Decimals.significant(explanation.zThreshold(), 2) + " fdr " + explanation.level(), MARGIN,
        MARGIN + line, TEXT, INK);
    for (int c = 0; c < panels; c++) {
      int left = MARGIN + c * (panelWidth + GAP);
      if (panels > 1) {
        PixelFont.draw(image, panels == 3 ? RGB[c] : "C" + c, left, MARGIN + 2 * line, TEXT, INK);
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int k = c * plane + y * w + x;
          int rgb = overlay(grey[y * w + x], z[k], range, significance[k] != 0);
          PixelFont.fill(image, left + x * scale, top + y * scale, scale, scale, rgb);
        }
      }
      for (DriftExplanation.Region r : explanation.regions()) {
        if (r.channels().contains(c)) {
          outline(image, left + r.left() * scale, top + r.top() * scale, r.width() * scale, r.height() * scale,
              r.direction() == DriftExplanation.Direction.UP ? 0xFFE000 : 0x00E0FF);
        }
      }
    }
    int barWidth = width - 2 * MARGIN;
    for (int x = 0; x < barWidth; x++) {
      double v = range * (2.0 * x / (barWidth - 1) - 1);
      PixelFont.fill(image, MARGIN + x, legendTop, 1, 12, overlay(0.5f, (float) v, range, Math.abs(v) >= explanation.zThreshold()));
    }
    for (double mark : new double[] {-explanation.zThreshold(), explanation.zThreshold()}) {
      if (Math.abs(mark) <= range) {
        int x = MARGIN + (int) Math.round((mark / range + 1) / 2 * (barWidth - 1));
        PixelFont.fill(image, x, legendTop - 3, 1, 18, INK);
      }
    }
    int labelTop = legendTop + 14;
    String low = "-" + Decimals.significant(range, 2);
    String high = "+" + Decimals.significant(range, 2);
    PixelFont.draw(image, low, MARGIN, labelTop, TEXT, INK);
    PixelFont.draw(image, "z", (width - PixelFont.width("z", TEXT)) / 2, labelTop, TEXT, INK);
    PixelFont.draw(image, high, width - MARGIN - PixelFont.width(high, TEXT), labelTop, TEXT, INK);
    return image;
  }

  /**
   * The top images, most anomalous first: per row the image's index and p-value, the input, its
   * reconstruction and its error map (the mean over channels), under one error scale shown below.
   *
   * @param explanation the explanation
   * @return an RGB image
   */
  public static BufferedImage topImages(DriftExplanation explanation) {
    ImageShape shape = explanation.shape();
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    int scale = Math.max(1, 96 / Math.max(h, w));
    int cell = w * scale;
    int labelWidth = PixelFont.width("p=0.00012", TEXT);
    for (ExplainedImage e : explanation.topImages()) {
      labelWidth = Math.max(labelWidth, PixelFont.width("i=" + e.index(), TEXT));
    }
    labelWidth += GAP;
    int line = PixelFont.height(TEXT) + 4;
    int rows = explanation.topImages().size();
    int width = Math.max(2 * MARGIN + labelWidth + 3 * cell + 2 * GAP, MIN_WIDTH);
    int top = MARGIN + line;
    int legendTop = top + rows * (h * scale + GAP) + 4;
    BufferedImage image = canvas(width, legendTop + 12 + 2 + line + MARGIN);
    String[] headers = {"input", "rebuilt", "error"};
    for (int col = 0; col < 3; col++) {
      PixelFont.draw(image, headers[col], MARGIN + labelWidth + col * (cell + GAP), MARGIN, TEXT, INK);
    }
    double maxError = 0;
    for (ExplainedImage e : explanation.topImages()) {
      for (float v : channelMean(e.errorMapView(), shape)) {
        maxError = Math.max(maxError, v);
      }
    }
    maxError = maxError > 0 ? maxError : 1;
    for (int row = 0; row < rows; row++) {
      ExplainedImage e = explanation.topImages().get(row);
      int y0 = top + row * (h * scale + GAP);
      PixelFont.draw(image, "i=" + e.index(), MARGIN, y0, TEXT, INK);
      PixelFont.draw(image, "p=" + Decimals.significant(e.pValue(), 2), MARGIN, y0 + line, TEXT, INK);
      float[] errors = channelMean(e.errorMapView(), shape);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = y * w + x;
          int x0 = MARGIN + labelWidth + x * scale;
          PixelFont.fill(image, x0, y0 + y * scale, scale, scale, colour(e.inputView(), p, plane, shape));
          PixelFont.fill(image, x0 + cell + GAP, y0 + y * scale, scale, scale,
              colour(e.reconstructionView(), p, plane, shape));
          PixelFont.fill(image, x0 + 2 * (cell + GAP), y0 + y * scale, scale, scale, heat(errors[p] / maxError));
        }
      }
    }
    int barWidth = width - 2 * MARGIN;
    for (int x = 0; x < barWidth; x++) {
      PixelFont.fill(image, MARGIN + x, legendTop, 1, 12, heat(x / (double) (barWidth - 1)));
    }
    String high = Decimals.significant(maxError, 2);
    PixelFont.draw(image, "0", MARGIN, legendTop + 14, TEXT, INK);
    String name = explanation.errorMeasure().name().replace('_', ' ');
    PixelFont.draw(image, name, (width - PixelFont.width(name, TEXT)) / 2, legendTop + 14, TEXT, INK);
    PixelFont.draw(image, high, width - MARGIN - PixelFont.width(high, TEXT), legendTop + 14, TEXT, INK);
    return image;
  }

  private static BufferedImage canvas(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    PixelFont.fill(image, 0, 0, width, height, BACKGROUND);
    return image;
  }

  /** The colour scale's half-width: the largest |z| (at most 100), at least twice the threshold, rounded up to 1, 2 or 5 × 10^k. */
  static double range(float[] z, double threshold) {
    double max = 0;
    for (float v : z) {
      max = Math.max(max, Math.abs(v));
    }
    double r = Math.max(Math.min(max, 100), Math.min(2 * threshold, 100));
    double magnitude = Math.pow(10, Math.floor(Math.log10(r)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (r <= step * magnitude * (1 + 1e-12)) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** Grey {@code base} tinted towards red (z > 0) or blue, more the larger |z|; faint unless significant. */
  static int overlay(float base, float z, double range, boolean significant) {
    double strength = Math.min(1, Math.abs(z) / range);
    double alpha = significant ? 0.35 + 0.65 * Math.sqrt(strength) : 0.45 * strength;
    int tint = z >= 0 ? UP : DOWN;
    int g = Math.round(Math.min(1f, Math.max(0f, base)) * 200);
    int r = (int) Math.round(g + alpha * (((tint >> 16) & 0xFF) - g));
    int gr = (int) Math.round(g + alpha * (((tint >> 8) & 0xFF) - g));
    int b = (int) Math.round(g + alpha * ((tint & 0xFF) - g));
    return (r << 16) | (gr << 8) | b;
  }

  /** Black through red and yellow to white, for t in [0, 1]. */
  static int heat(double t) {
    double v = Math.min(1, Math.max(0, t));
    int r = (int) Math.round(255 * Math.min(1, 3 * v));
    int g = (int) Math.round(255 * Math.min(1, Math.max(0, 3 * v - 1)));
    int b = (int) Math.round(255 * Math.max(0, 3 * v - 2));
    return (r << 16) | (g << 8) | b;
  }

  private static int colour(float[] values, int p, int plane, ImageShape shape) {
    if (shape.channels() == 3) {
      return (grey(values[p]) << 16) | (grey(values[plane + p]) << 8) | grey(values[2 * plane + p]);
    }
    int g = grey(values[p]);
    return (g << 16) | (g << 8) | g;
  }

  private static int grey(float v) {
    return Math.round(Math.min(1f, Math.max(0f, v)) * 255);
  }

  /** One value per pixel: the luminance of RGB, the channel mean otherwise. */
  private static float[] luminance(float[] values, ImageShape shape) {
    if (shape.channels() != 3) {
      return channelMean(values, shape);
    }
    int plane = shape.height() * shape.width();
    float[] out = new float[plane];
    for (int p = 0; p < plane; p++) {
      out[p] = 0.299f * values[p] + 0.587f * values[plane + p] + 0.114f * values[2 * plane + p];
    }
    return out;
  }

  private static float[] channelMean(float[] values, ImageShape shape) {
    int plane = shape.height() * shape.width();
    float[] out = new float[plane];
    for (int c = 0; c < shape.channels(); c++) {
      for (int p = 0; p < plane; p++) {
        out[p] += values[c * plane + p] / shape.channels();
      }
    }
    return out;
  }

  private static void outline(BufferedImage image, int x, int y, int width, int height, int rgb) {
    PixelFont.fill(image, x, y, width, 1, rgb);
    PixelFont.fill(image, x, y + height - 1, width, 1, rgb);
    PixelFont.fill(image, x, y, 1, height, rgb);
    PixelFont.fill(image, x + width - 1, y, 1, height, rgb);
  }

  private static String percent(double share) {
    return Decimals.significant(100 * share, 2) + "%";
  }
}
