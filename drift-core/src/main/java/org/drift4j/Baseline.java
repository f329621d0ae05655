package org.drift4j;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.drift4j.spi.Autoencoder;

/**
 * The distribution of per-image reconstruction errors on clean validation images, against which
 * production batches are compared.
 *
 * <p>A baseline keeps <em>every</em> error (sorted), not only summary statistics, so that policies
 * can run exact two-sample rank tests against it. It also records what it is only valid for: the
 * {@link ReconstructionError error measure}, the {@link ImageShape image shape}, the
 * {@link ImagePreprocessing preprocessing} of its images and the
 * {@link Autoencoder#fingerprint() fingerprint} of the autoencoder it was computed with. One
 * computed by {@link #compute} also keeps, per pixel and channel, the mean and variance of the
 * errors ({@link #pixelStatistics()}), which explanations compare batches with.
 *
 * <p>Quantiles use linear interpolation between order statistics (Hyndman–Fan type 7, the
 * default of R and NumPy).
 *
 * <p>Immutable and thread-safe.
 */
public final class Baseline {

  private final double[] sortedErrors;
  private final ReconstructionError errorMeasure;
  private final ImageShape shape;
  private final String autoencoderFingerprint;
  private final Instant createdAt;
  private final ImagePreprocessing preprocessing;
  private final PixelErrorStatistics pixelStatistics;
  private final double mean;
  private final double standardDeviation;
  private final String id;

  /** Images scored at once for the per-pixel statistics, whose reconstructions are held in memory. */
  private static final int PIXEL_STATISTICS_CHUNK = 256;

  private Baseline(double[] sortedErrors, ReconstructionError errorMeasure, ImageShape shape,
      String autoencoderFingerprint, Instant createdAt, ImagePreprocessing preprocessing,
      PixelErrorStatistics pixelStatistics) {
    this.sortedErrors = sortedErrors;
    this.errorMeasure = errorMeasure;
    this.shape = shape;
    this.autoencoderFingerprint = autoencoderFingerprint;
    this.createdAt = createdAt;
    this.preprocessing = preprocessing;
    this.pixelStatistics = pixelStatistics;
    double sum = 0;
    for (double e : sortedErrors) {
      sum += e;
    }
    this.mean = sum / sortedErrors.length;
    double ss = 0;
    for (double e : sortedErrors) {
      ss += (e - mean) * (e - mean);
    }
    this.standardDeviation = sortedErrors.length > 1 ? Math.sqrt(ss / (sortedErrors.length - 1)) : 0.0;
    this.id = computeId();
  }

  /**
   * Reconstructs the validation images with the autoencoder and keeps their errors, their
   * preprocessing and their per-pixel error statistics. The errors come from
   * {@link Autoencoder#errors}, as a detector's do; the per-pixel statistics from
   * {@link Autoencoder#reconstruct}, a second pass over the images.
   *
   * @param autoencoder the model the baseline is for
   * @param validationImages clean images the model was not trained on; a few thousand give
   *     precise tail quantiles, at least 2 are required
   * @param errorMeasure how each image's error is measured
   * @return the baseline, stamped with the system clock's time
   * @throws IllegalArgumentException if the images' shape differs from the model's, or there are
   *     fewer than 2 images
   */
  public static Baseline compute(Autoencoder autoencoder, ImageBatch validationImages, ReconstructionError errorMeasure) {
    return compute(autoencoder, validationImages, errorMeasure, Clock.systemUTC());
  }

  /**
   * As {@link #compute(Autoencoder, ImageBatch, ReconstructionError)}, stamping the time from
   * {@code clock}.
   *
   * @param autoencoder the model the baseline is for
   * @param validationImages clean images the model was not trained on, at least 2
   * @param errorMeasure how each image's error is measured
   * @param clock the clock that stamps the baseline
   * @return the baseline
   * @throws IllegalArgumentException if the images' shape differs from the model's, or there are
   *     fewer than 2 images
   */
  public static Baseline compute(Autoencoder autoencoder, ImageBatch validationImages,
      ReconstructionError errorMeasure, Clock clock) {
    Objects.requireNonNull(autoencoder, "autoencoder");
    Objects.requireNonNull(validationImages, "validationImages");
    Objects.requireNonNull(errorMeasure, "errorMeasure");
    Objects.requireNonNull(clock, "clock");
    double[] errors = Scoring.errors(autoencoder, validationImages, errorMeasure);
    PixelErrorStatistics.Accumulator pixels = new PixelErrorStatistics.Accumulator(autoencoder.inputShape());
    for (int from = 0; from < validationImages.size(); from += PIXEL_STATISTICS_CHUNK) {
      ImageBatch chunk = validationImages.slice(from, Math.min(validationImages.size(), from + PIXEL_STATISTICS_CHUNK));
      float[][] rows = autoencoder.reconstruct(chunk);
      if (rows == null || rows.length != chunk.size()) {
        throw new IllegalStateException("autoencoder must return " + chunk.size() + " reconstructions, but returned "
            + (rows == null ? "null" : rows.length));
      }
      pixels.add(chunk, rows, errorMeasure);
    }
    return of(errors, errorMeasure, autoencoder.inputShape(), autoencoder.fingerprint(), clock.instant())
        .with(validationImages.preprocessing(), pixels.result());
  }

  /**
   * A baseline from errors measured elsewhere (the order does not matter; they are copied).
   *
   * @param errors one error per validation image
   * @param errorMeasure the measure they were computed with
   * @param shape the images' shape
   * @param autoencoderFingerprint the fingerprint of the model that computed them
   * @param createdAt when they were computed
   * @return the baseline
   * @throws IllegalArgumentException if there are fewer than 2 errors, or one is negative, NaN or
   *     infinite, or the fingerprint is blank
   */
  public static Baseline of(double[] errors, ReconstructionError errorMeasure, ImageShape shape,
      String autoencoderFingerprint, Instant createdAt) {
    Objects.requireNonNull(errors, "errors");
    Objects.requireNonNull(errorMeasure, "errorMeasure");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(autoencoderFingerprint, "autoencoderFingerprint");
    Objects.requireNonNull(createdAt, "createdAt");
    if (errors.length < 2) {
      throw new IllegalArgumentException("errors must hold at least 2 values, but held " + errors.length);
    }
    if (autoencoderFingerprint.isBlank()) {
      throw new IllegalArgumentException("autoencoderFingerprint must not be blank");
    }
    for (int i = 0; i < errors.length; i++) {
      if (!(errors[i] >= 0 && errors[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("errors[" + i + "] must be finite and non-negative, but was " + errors[i]);
      }
    }
    double[] sorted = errors.clone();
    Arrays.sort(sorted);
    return new Baseline(sorted, errorMeasure, shape, autoencoderFingerprint, createdAt, ImagePreprocessing.none(), null);
  }

  /**
   * This baseline, recorded as made from images preprocessed by {@code preprocessing}.
   *
   * @param preprocessing how the validation images were made from decoded images
   * @return a baseline with the same errors (and a new {@link #id()})
   */
  public Baseline withPreprocessing(ImagePreprocessing preprocessing) {
    return with(Objects.requireNonNull(preprocessing, "preprocessing"), pixelStatistics);
  }

  /**
   * This baseline with per-pixel error statistics computed elsewhere.
   *
   * @param statistics the statistics, of this baseline's shape and count
   * @return a baseline with the same errors (and a new {@link #id()})
   * @throws IllegalArgumentException if their shape or count differs from this baseline's
   */
  public Baseline withPixelStatistics(PixelErrorStatistics statistics) {
    Objects.requireNonNull(statistics, "statistics");
    if (!statistics.shape().equals(shape) || statistics.count() != count()) {
      throw new IllegalArgumentException("statistics must be of " + count() + " images of shape " + shape
          + ", but were of " + statistics.count() + " of " + statistics.shape());
    }
    return with(preprocessing, statistics);
  }

  private Baseline with(ImagePreprocessing preprocessing, PixelErrorStatistics statistics) {
    return new Baseline(sortedErrors, errorMeasure, shape, autoencoderFingerprint, createdAt, preprocessing,
        statistics);
  }

  /** {@return the number of validation images} */
  public int count() {
    return sortedErrors.length;
  }

  /** {@return the mean error} */
  public double mean() {
    return mean;
  }

  /** {@return the sample standard deviation of the errors (n - 1 denominator)} */
  public double standardDeviation() {
    return standardDeviation;
  }

  /** {@return the smallest error} */
  public double min() {
    return sortedErrors[0];
  }

  /** {@return the largest error} */
  public double max() {
    return sortedErrors[sortedErrors.length - 1];
  }

  /**
   * The {@code q}-quantile of the errors (type 7).
   *
   * @param q the quantile's level, in [0, 1]
   * @return the quantile
   * @throws IllegalArgumentException if {@code q} is outside [0, 1]
   */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1], but was " + q);
    }
    double h = (sortedErrors.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sortedErrors.length - 1);
    return sortedErrors[lo] + (h - lo) * (sortedErrors[hi] - sortedErrors[lo]);
  }

  /** {@return a copy of every error, in ascending order} */
  public double[] sortedErrors() {
    return sortedErrors.clone();
  }

  /**
   * The conformal upper-tail p-value of one error: {@code (1 + #{baseline >= error}) / (n + 1)}.
   * For a clean image exchangeable with the validation images it is uniformly distributed, so
   * {@code P(p <= a) <= a}.
   *
   * @param error an image's error
   * @return its p-value, in (0, 1]
   */
  public double upperTailPValue(double error) {
    int atLeast = sortedErrors.length - SortedArrays.lowerBound(sortedErrors, error, 0);
    return (1.0 + atLeast) / (sortedErrors.length + 1.0);
  }

  /** {@return the error measure the errors were computed with} */
  public ReconstructionError errorMeasure() {
    return errorMeasure;
  }

  /** {@return the image shape of the validation images} */
  public ImageShape shape() {
    return shape;
  }

  /** {@return the fingerprint of the autoencoder the errors were computed with} */
  public String autoencoderFingerprint() {
    return autoencoderFingerprint;
  }

  /** {@return when the baseline was computed} */
  public Instant createdAt() {
    return createdAt;
  }

  /** {@return how the validation images were made from decoded images} */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /**
   * {@return the per-pixel error statistics, or empty for a baseline made from errors alone or read
   * from a schema-1 file (recompute it with {@link #compute} to get them)}
   */
  public Optional<PixelErrorStatistics> pixelStatistics() {
    return Optional.ofNullable(pixelStatistics);
  }

  /**
   * A short content identifier (16 hex digits of a SHA-256 over the errors, measure, shape,
   * fingerprint, time, preprocessing and pixel statistics): two baselines with the same id hold
   * the same data.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /** The sorted errors without a copy, for this library's policies only. */
  double[] sortedErrorsView() {
    return sortedErrors;
  }

  private String computeId() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.allocate(sortedErrors.length * Double.BYTES);
      for (double e : sortedErrors) {
        buffer.putDouble(e);
      }
      digest.update(buffer.array());
      String meta = errorMeasure + "|" + shape + "|" + autoencoderFingerprint + "|" + createdAt;
      // a schema-1 baseline (no preprocessing, no pixel statistics) keeps the id it was written with
      if (!preprocessing.equals(ImagePreprocessing.none())) {
        meta += "|" + preprocessing.id();
      }
      digest.update(meta.getBytes(StandardCharsets.UTF_8));
      if (pixelStatistics != null) {
        ByteBuffer pixels = ByteBuffer.allocate(2 * shape.size() * Float.BYTES);
        for (int k = 0; k < shape.size(); k++) {
          pixels.putFloat(pixelStatistics.meanView()[k]).putFloat(pixelStatistics.varianceView()[k]);
        }
        digest.update(pixels.array());
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Baseline b && b.id.equals(id) && Arrays.equals(b.sortedErrors, sortedErrors);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return String.format("Baseline[id=%s, n=%d, mean=%.6g, sd=%.6g, %s, %s, %s, autoencoder=%s]",
        id, count(), mean, standardDeviation, errorMeasure, shape, preprocessing, autoencoderFingerprint);
  }
}
