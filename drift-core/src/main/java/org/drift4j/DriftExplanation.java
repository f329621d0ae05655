package org.drift4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.drift4j.spi.Autoencoder;

/**
 * How a batch of images departs from the baseline, and where: per pixel and channel, the
 * standardised departure of the batch's mean error from the baseline's (the z-map), which pixels
 * depart significantly up or down, the region they form, the most anomalous images with their
 * reconstructions and error maps, and a short summary in words, such as "Errors up in the top-left
 * 10×10 region (rows 4–13, columns 4–13); mean error +38% over the baseline's."
 *
 * <pre>{@code
 * DriftExplanation why = DriftExplanation.of(autoencoder, baseline, batch, 16);
 * log.warn(why.summary());
 * ExplanationImages.writePng(ExplanationImages.zMap(why), dir.resolve("z-map.png"));
 * }</pre>
 *
 * <h2>The test</h2>
 * For value k (pixel and channel), with baseline mean error μ and variance σ² over n validation
 * images ({@link Baseline#pixelStatistics()}) and batch mean ē and variance s² over m images,
 * {@code z = (ē − μ) / sqrt(max(s², σ²) / m + σ² / n)}: the departure in standard errors of a mean
 * of m, the baseline's own sampling error included, and the batch's variance where it is the larger,
 * so that a single odd image cannot make a pixel significant by itself. Each value gets a
 * two-sided normal p-value, and the Benjamini–Hochberg procedure over all C×H×W values at
 * {@link #level()} (default 0.05) decides which are significant: the expected share of false
 * discoveries among them is at most the level, and on a batch without drift the chance that any
 * value is flagged is at most the level (the normal approximation needs m of about 10 or more).
 * {@link #zThreshold()} is the |z| from which a value counted as significant.
 *
 * <p>Regions: when at least half the image is significant in one direction, the change is called
 * uniform, across the image (no region). Otherwise the significant pixels of that direction (any
 * channel) are grouped 8-connected, and the largest group is a {@link Region} when it holds at
 * least half of them and fills at least half of its bounding box; else they are scattered.
 *
 * <p>Immutable and thread-safe: array accessors return copies.
 */
public final class DriftExplanation {

  /** The value of the JSON {@code format} field. */
  public static final String FORMAT = "drift4j-explanation";

  /** The test, in words, as the JSON's {@code test} field states it. */
  public static final String TEST = "two-sided per-pixel z-test of the batch's mean error against the baseline's,"
      + " Benjamini-Hochberg over all C x H x W values";

  /** Which way a pixel's errors moved. */
  public enum Direction {
    /** Errors higher than the baseline's: the autoencoder rebuilds this part worse. */
    UP,
    /** Errors lower than the baseline's: this part is simpler (blank, flat) than the baseline's images. */
    DOWN
  }

  /**
   * Where significant pixels of one direction gather: the bounding box of their largest
   * 8-connected group.
   *
   * @param direction which way the errors moved
   * @param top first row, 0-based
   * @param left first column, 0-based
   * @param height rows covered
   * @param width columns covered
   * @param channels the channels in which the group's pixels are significant, ascending
   * @param significantShare the share of the box's pixels that are significant
   * @param peakZ the most extreme z inside the box in that direction, over all channels
   */
  public record Region(Direction direction, int top, int left, int height, int width, List<Integer> channels,
      double significantShare, double peakZ) {

    /**
     * Checks the fields.
     *
     * @param direction which way the errors moved
     * @param top first row
     * @param left first column
     * @param height rows covered, at least 1
     * @param width columns covered, at least 1
     * @param channels the channels, copied
     * @param significantShare share of the box that is significant
     * @param peakZ the most extreme z in the box
     * @throws IllegalArgumentException if the box is empty or starts before row or column 0
     */
    public Region {
      Objects.requireNonNull(direction, "direction");
      channels = List.copyOf(channels);
      if (top < 0 || left < 0 || height < 1 || width < 1) {
        throw new IllegalArgumentException("region must start at row and column 0 or later and cover at least 1x1,"
            + " but was rows " + top + "+" + height + ", columns " + left + "+" + width);
      }
    }
  }

  private final ImageShape shape;
  private final int size;
  private final int baselineCount;
  private final double level;
  private final double zThreshold;
  private final float[] zMap;
  private final float[] batchMeanErrors;
  private final float[] baselineMeanErrors;
  private final float[] meanImage;
  private final byte[] significance;
  private final List<Region> regions;
  private final String summary;
  private final List<ExplainedImage> topImages;
  private final double meanError;
  private final Baseline baseline;

  DriftExplanation(int size, double level, PixelDepartures.Result departures, float[] batchMeanErrors,
      float[] meanImage, List<Region> regions, String summary, List<ExplainedImage> topImages, double meanError,
      Baseline baseline) {
    PixelErrorStatistics statistics = baseline.pixelStatistics().orElseThrow();
    this.shape = baseline.shape();
    this.size = size;
    this.baselineCount = statistics.count();
    this.level = level;
    this.zThreshold = departures.zThreshold();
    this.zMap = departures.z();
    this.batchMeanErrors = batchMeanErrors;
    this.baselineMeanErrors = statistics.meanView();
    this.meanImage = meanImage;
    this.significance = departures.significance();
    this.regions = List.copyOf(regions);
    this.summary = summary;
    this.topImages = List.copyOf(topImages);
    this.meanError = meanError;
    this.baseline = baseline;
  }

  /**
   * Explains one batch in one call: {@code DriftExplainer.builder(autoencoder, baseline).build()
   * .explain(batch, top)}.
   *
   * @param autoencoder the model the baseline was computed with
   * @param baseline a baseline with per-pixel statistics ({@link Baseline#compute})
   * @param batch the images, of the model's shape and the baseline's preprocessing
   * @param top how many of the most anomalous images to keep, from 1 to the batch's size
   * @return the explanation
   * @throws IllegalArgumentException if the baseline has no per-pixel statistics (the message says
   *     how to recompute it), does not belong to the model, or the batch or {@code top} does not fit
   * @throws IllegalStateException if the autoencoder returns malformed or non-finite output
   */
  public static DriftExplanation of(Autoencoder autoencoder, Baseline baseline, ImageBatch batch, int top) {
    return DriftExplainer.builder(autoencoder, baseline).build().explain(batch, top);
  }

  /** {@return the images' shape, which every map has} */
  public ImageShape shape() {
    return shape;
  }

  /** {@return the number of images explained} */
  public int size() {
    return size;
  }

  /** {@return the number of validation images behind the baseline's per-pixel statistics} */
  public int baselineCount() {
    return baselineCount;
  }

  /** {@return the false-discovery rate at which pixels were tested} */
  public double level() {
    return level;
  }

  /** {@return the |z| from which a pixel counted as significant (see the class description)} */
  public double zThreshold() {
    return zThreshold;
  }

  /** {@return a copy of the z-map: one standardised departure per pixel and channel, CHW} */
  public float[] zMap() {
    return zMap.clone();
  }

  /** {@return a copy of the batch's mean error per pixel and channel, CHW} */
  public float[] batchMeanErrors() {
    return batchMeanErrors.clone();
  }

  /** {@return a copy of the baseline's mean error per pixel and channel, CHW} */
  public float[] baselineMeanErrors() {
    return baselineMeanErrors.clone();
  }

  /** {@return a copy of the batch's mean image, CHW} */
  public float[] meanImage() {
    return meanImage.clone();
  }

  /** {@return per pixel and channel (CHW), whether its errors are significantly up} */
  public boolean[] significantUp() {
    return flags(1);
  }

  /** {@return per pixel and channel (CHW), whether its errors are significantly down} */
  public boolean[] significantDown() {
    return flags(-1);
  }

  private boolean[] flags(int sign) {
    boolean[] out = new boolean[significance.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = significance[k] == sign;
    }
    return out;
  }

  /** {@return the share of all pixel values (every channel) whose errors are significantly up} */
  public double shareUp() {
    return share(1, 0, significance.length);
  }

  /** {@return the share of all pixel values (every channel) whose errors are significantly down} */
  public double shareDown() {
    return share(-1, 0, significance.length);
  }

  /**
   * The share of one channel's pixels whose errors are significantly up.
   *
   * @param channel the channel, 0-based
   * @return the share
   * @throws IndexOutOfBoundsException if there is no such channel
   */
  public double shareUp(int channel) {
    Objects.checkIndex(channel, shape.channels());
    int plane = shape.height() * shape.width();
    return share(1, channel * plane, (channel + 1) * plane);
  }

  /**
   * The share of one channel's pixels whose errors are significantly down.
   *
   * @param channel the channel, 0-based
   * @return the share
   * @throws IndexOutOfBoundsException if there is no such channel
   */
  public double shareDown(int channel) {
    Objects.checkIndex(channel, shape.channels());
    int plane = shape.height() * shape.width();
    return share(-1, channel * plane, (channel + 1) * plane);
  }

  private double share(int sign, int from, int to) {
    int count = 0;
    for (int k = from; k < to; k++) {
      count += significance[k] == sign ? 1 : 0;
    }
    return count / (double) (to - from);
  }

  /** {@return the regions where significant pixels gather, at most one per direction, larger first} */
  public List<Region> regions() {
    return regions;
  }

  /** {@return what the maps say, in a sentence or two} */
  public String summary() {
    return summary;
  }

  /** {@return the images with the smallest p-values, smallest first (ties: larger error first)} */
  public List<ExplainedImage> topImages() {
    return topImages;
  }

  /** {@return the batch's mean per-image error} */
  public double meanError() {
    return meanError;
  }

  /** {@return the baseline's mean per-image error} */
  public double baselineMeanError() {
    return baseline.mean();
  }

  /** {@return the error measure} */
  public ReconstructionError errorMeasure() {
    return baseline.errorMeasure();
  }

  /** {@return {@link Baseline#id()} of the baseline compared against} */
  public String baselineId() {
    return baseline.id();
  }

  /** {@return the fingerprint of the autoencoder that rebuilt the images} */
  public String autoencoderFingerprint() {
    return baseline.autoencoderFingerprint();
  }

  /** The arrays without a copy, for this library's rendering. */
  float[] zMapView() {
    return zMap;
  }

  float[] meanImageView() {
    return meanImage;
  }

  byte[] significanceView() {
    return significance;
  }

  /**
   * {@return this explanation as a JSON object: scalars, the summary, the regions, and every map as
   * {@code {"shape": [C, H, W], "values": [...]}} in CHW order, the top images' included}
   */
  public String toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("summary", summary);
    root.put("test", TEST);
    root.put("level", level);
    Json.putNumber(root, "zThreshold", zThreshold);
    root.put("images", size);
    root.put("baselineImages", baselineCount);
    root.put("meanError", meanError);
    root.put("baselineMeanError", baseline.mean());
    root.put("errorMeasure", baseline.errorMeasure().name());
    root.put("shareUp", shareUp());
    root.put("shareDown", shareDown());
    ArrayNode channels = root.putArray("channels");
    for (int c = 0; c < shape.channels(); c++) {
      channels.addObject().put("channel", c).put("shareUp", shareUp(c)).put("shareDown", shareDown(c));
    }
    ArrayNode regionNodes = root.putArray("regions");
    for (Region r : regions) {
      ObjectNode node = regionNodes.addObject();
      node.put("direction", r.direction().name().toLowerCase(java.util.Locale.ROOT));
      node.put("top", r.top()).put("left", r.left()).put("height", r.height()).put("width", r.width());
      ArrayNode cs = node.putArray("channels");
      r.channels().forEach(cs::add);
      node.put("significantShare", r.significantShare());
      Json.putNumber(node, "peakZ", r.peakZ());
    }
    putMap(root, "zMap", zMap);
    putMap(root, "batchMeanErrors", batchMeanErrors);
    putMap(root, "baselineMeanErrors", baselineMeanErrors);
    putMap(root, "meanImage", meanImage);
    ArrayNode top = root.putArray("topImages");
    for (ExplainedImage image : topImages) {
      ObjectNode node = top.addObject();
      node.put("index", image.index());
      node.put("error", image.error());
      node.put("pValue", image.pValue());
      putMap(node, "input", image.inputView());
      putMap(node, "reconstruction", image.reconstructionView());
      putMap(node, "errorMap", image.errorMapView());
    }
    root.put("baselineId", baseline.id());
    root.put("autoencoderFingerprint", baseline.autoencoderFingerprint());
    try {
      return Json.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise an explanation", e);
    }
  }

  private void putMap(ObjectNode parent, String name, float[] values) {
    ObjectNode map = parent.putObject(name);
    map.putArray("shape").add(shape.channels()).add(shape.height()).add(shape.width());
    ArrayNode array = map.putArray("values");
    for (float v : values) {
      array.add(v);
    }
  }

  @Override
  public String toString() {
    return "DriftExplanation[" + size + " x " + shape + ", up " + Decimals.significant(100 * shareUp(), 3) + "%, down "
        + Decimals.significant(100 * shareDown(), 3) + "%: " + summary + "]";
  }
}
