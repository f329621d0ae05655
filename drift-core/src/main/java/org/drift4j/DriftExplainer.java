package org.drift4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.drift4j.spi.Autoencoder;

/**
 * Explains how a batch of images departs from a baseline: where in the image (a per-pixel z-map,
 * its significant pixels and regions) and which images (the smallest p-values), in a
 * {@link DriftExplanation}. The statistics are described there.
 *
 * <pre>{@code
 * DriftExplainer explainer = DriftExplainer.builder(autoencoder, baseline).build();
 * DriftReport report = detector.check(batch);
 * if (report.drift()) {
 *   DriftExplanation why = explainer.explain(batch, 16);
 *   alerts.send(report.toJson(), why.summary());
 * }
 * }</pre>
 *
 * <p>An explanation reconstructs the batch ({@link Autoencoder#reconstruct}, chunk by chunk) and
 * measures every pixel's error ({@link ReconstructionError#pixelErrors}): slower than
 * {@link Autoencoder#errors}, which detectors and monitors keep using; explain only the batches
 * that need it. Each image's error is the mean of its pixel errors, exactly what
 * {@link ReconstructionError#errors} gives for the same reconstruction (a backend computing errors
 * in float, as ONNX Runtime does, agrees within 1e-5). Memory: one chunk of
 * {@value #CHUNK_IMAGES} reconstructions, the maps, and the top images.
 *
 * <p>Thread-safe: {@link #explain} may be called from any number of threads at once; the
 * explainer holds no mutable state. It never closes the autoencoder.
 */
public final class DriftExplainer {

  /** Default false-discovery rate at which pixels are tested. */
  public static final double DEFAULT_LEVEL = 0.05;

  /** Images reconstructed at once, whose reconstructions are held in memory. */
  public static final int CHUNK_IMAGES = 256;

  private final Autoencoder autoencoder;
  private final Baseline baseline;
  private final PixelErrorStatistics statistics;
  private final double level;

  private DriftExplainer(Builder b) {
    this.autoencoder = b.autoencoder;
    this.baseline = b.baseline;
    this.statistics = b.baseline.pixelStatistics().orElseThrow();
    this.level = b.level;
  }

  /**
   * A builder for an explainer of batches scored by {@code autoencoder} against {@code baseline}.
   *
   * @param autoencoder the model the baseline was computed with
   * @param baseline a baseline with per-pixel statistics ({@link Baseline#compute})
   * @return a new builder, at level {@value #DEFAULT_LEVEL}
   */
  public static Builder builder(Autoencoder autoencoder, Baseline baseline) {
    return new Builder(autoencoder, baseline);
  }

  /**
   * Explains one batch.
   *
   * @param batch the images, of the autoencoder's shape and the baseline's preprocessing
   * @param top how many of the most anomalous images to keep, from 1 to the batch's size
   * @return the explanation
   * @throws IllegalArgumentException if {@code top} is below 1 or above the batch's size, or the
   *     batch's shape differs from the autoencoder's or its preprocessing from the baseline's
   * @throws IllegalStateException if the autoencoder returns malformed or non-finite output; the
   *     message names the image
   */
  public DriftExplanation explain(ImageBatch batch, int top) {
    Objects.requireNonNull(batch, "batch");
    return explain(batch, null, top);
  }

  /** As {@link #explain(ImageBatch, int)}, image i being known as {@code indices[i]} (null: i). */
  DriftExplanation explain(ImageBatch batch, long[] indices, int top) {
    if (top < 1 || top > batch.size()) {
      throw new IllegalArgumentException("top must be between 1 and the " + batch.size()
          + " images explained, but was " + top);
    }
    Scoring.requireShape(autoencoder, batch);
    Scoring.requirePreprocessing(baseline, batch);
    ReconstructionError measure = baseline.errorMeasure();
    int n = batch.shape().size();
    PixelDepartures departures = new PixelDepartures(statistics);
    double[] imageSum = new double[n];
    double errorSum = 0;
    // the worst of the kept candidates first, so that it is the one a better image replaces
    Comparator<ExplainedImage> anomalousFirst = Comparator.comparingDouble(ExplainedImage::pValue)
        .thenComparing(Comparator.comparingDouble(ExplainedImage::error).reversed())
        .thenComparingLong(ExplainedImage::index);
    PriorityQueue<ExplainedImage> kept = new PriorityQueue<>(top + 1, anomalousFirst.reversed());
    float[] target = new float[n];
    for (int from = 0; from < batch.size(); from += CHUNK_IMAGES) {
      ImageBatch chunk = batch.slice(from, Math.min(batch.size(), from + CHUNK_IMAGES));
      float[][] rows = autoencoder.reconstruct(chunk);
      if (rows == null || rows.length != chunk.size()) {
        throw new IllegalStateException("autoencoder must return " + chunk.size() + " reconstructions, but returned "
            + (rows == null ? "null" : rows.length));
      }
      for (int i = 0; i < chunk.size(); i++) {
        int image = from + i;
        chunk.copyTo(i, i + 1, target, 0);
        double[] pixelErrors = pixelErrors(measure, image, target, rows[i]);
        double sum = 0;
        for (double e : pixelErrors) {
          sum += e;
        }
        double error = sum / n;
        errorSum += error;
        departures.add(pixelErrors);
        for (int k = 0; k < n; k++) {
          imageSum[k] += target[k];
        }
        double pValue = baseline.upperTailPValue(error);
        long index = indices == null ? image : indices[image];
        ExplainedImage worst = kept.peek();
        if (kept.size() < top || anomalousFirst.compare(candidate(index, error, pValue), worst) < 0) {
          kept.add(new ExplainedImage(index, error, pValue, target.clone(), rows[i].clone(), toFloats(pixelErrors)));
          if (kept.size() > top) {
            kept.poll();
          }
        }
      }
    }
    List<ExplainedImage> topImages = new ArrayList<>(kept);
    topImages.sort(anomalousFirst);
    float[] meanImage = new float[n];
    for (int k = 0; k < n; k++) {
      meanImage[k] = (float) (imageSum[k] / batch.size());
    }
    PixelDepartures.Result result = departures.result(level);
    double meanError = errorSum / batch.size();
    ExplanationSummary.Summary summary = ExplanationSummary.of(batch.shape(), result.significance(), result.z(),
        meanError, baseline.mean());
    return new DriftExplanation(batch.size(), level, result, departures.batchMean(), meanImage, summary.regions(),
        summary.text(), topImages, meanError, baseline);
  }

  /** A key to compare with the kept images before copying anything. */
  private static ExplainedImage candidate(long index, double error, double pValue) {
    return new ExplainedImage(index, error, pValue, null, null, null);
  }

  private static double[] pixelErrors(ReconstructionError measure, int image, float[] target, float[] row) {
    if (row == null || row.length != target.length) {
      throw new IllegalStateException("reconstruction " + image + " must have " + target.length + " values, but had "
          + (row == null ? "null" : row.length));
    }
    try {
      return measure.pixelErrors(target, row);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("reconstruction of image " + image + " is not usable: " + e.getMessage()
          + "; the autoencoder produced an invalid output", e);
    }
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) values[k];
    }
    return out;
  }

  /** Throws unless {@code baseline} keeps per-pixel statistics, saying how to get them. */
  static void requirePixelStatistics(Baseline baseline) {
    if (baseline.pixelStatistics().isEmpty()) {
      throw new IllegalArgumentException("baseline " + baseline.id() + " has no per-pixel error statistics (it was read"
          + " from a schema-1 file or made from errors alone by Baseline.of), which explanations compare batches with;"
          + " recompute it with Baseline.compute(autoencoder, validationImages, " + baseline.errorMeasure()
          + ") and save it with BaselineStore.write");
    }
  }

  /** {@return the false-discovery rate at which pixels are tested} */
  public double level() {
    return level;
  }

  /** {@return the baseline explanations compare with} */
  public Baseline baseline() {
    return baseline;
  }

  @Override
  public String toString() {
    return "DriftExplainer[level=" + level + ", baseline " + baseline.id() + ", " + autoencoder + "]";
  }

  /**
   * Builds a {@link DriftExplainer}: each setter validates at once, {@link #build()} checks that
   * the baseline fits the model and keeps per-pixel statistics. Not thread-safe; the explainer it
   * builds is.
   */
  public static final class Builder {
    private final Autoencoder autoencoder;
    private final Baseline baseline;
    private double level = DEFAULT_LEVEL;

    private Builder(Autoencoder autoencoder, Baseline baseline) {
      this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
      this.baseline = Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * The false-discovery rate at which pixels are tested; default {@value #DEFAULT_LEVEL}.
     *
     * @param level the rate
     * @return this builder
     * @throws IllegalArgumentException if {@code level} is not greater than 0 and lower than 1
     */
    public Builder level(double level) {
      this.level = Checks.requireOpenUnit("level", level);
      return this;
    }

    /**
     * Builds the explainer.
     *
     * @return the explainer
     * @throws IncompatibleBaselineException if the baseline's shape or fingerprint does not match
     *     the autoencoder
     * @throws IllegalArgumentException if the baseline has no per-pixel statistics; the message
     *     says how to recompute it
     */
    public DriftExplainer build() {
      IncompatibleBaselineException.requireMatch(baseline, autoencoder);
      requirePixelStatistics(baseline);
      return new DriftExplainer(this);
    }
  }
}
