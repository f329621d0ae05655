package org.drift4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per pixel and channel, the mean and variance of the validation images' errors: what a
 * {@link Baseline} keeps (from schema version 2) so that an explanation can say where in the
 * image a batch's errors depart from it. Values are stored in CHW order, like the images.
 *
 * <p>Immutable and thread-safe: array accessors return copies.
 */
public final class PixelErrorStatistics {

  private final ImageShape shape;
  private final int count;
  private final float[] mean;
  private final float[] variance;

  private PixelErrorStatistics(ImageShape shape, int count, float[] mean, float[] variance) {
    this.shape = shape;
    this.count = count;
    this.mean = mean;
    this.variance = variance;
  }

  /**
   * Statistics computed elsewhere.
   *
   * @param shape the images' shape
   * @param count how many images they summarise, at least 2
   * @param mean per value, the mean error (copied)
   * @param variance per value, the sample variance of the error (copied)
   * @return the statistics
   * @throws IllegalArgumentException if an array's length is not {@code shape.size()}, the count is
   *     below 2, or a value is negative, NaN or infinite
   */
  public static PixelErrorStatistics of(ImageShape shape, int count, float[] mean, float[] variance) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(variance, "variance");
    if (count < 2) {
      throw new IllegalArgumentException("count must be at least 2, but was " + count);
    }
    requireValues("mean", mean, shape);
    requireValues("variance", variance, shape);
    return new PixelErrorStatistics(shape, count, mean.clone(), variance.clone());
  }

  private static void requireValues(String name, float[] values, ImageShape shape) {
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(name + " must hold " + shape.size() + " values (shape " + shape
          + "), but held " + values.length);
    }
    for (int k = 0; k < values.length; k++) {
      if (!(values[k] >= 0 && values[k] < Float.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(name + "[" + k + "] must be finite and non-negative, but was " + values[k]);
      }
    }
  }

  /** {@return the images' shape} */
  public ImageShape shape() {
    return shape;
  }

  /** {@return the number of images summarised} */
  public int count() {
    return count;
  }

  /** {@return a copy of the per-value mean errors, CHW order} */
  public float[] mean() {
    return mean.clone();
  }

  /** {@return a copy of the per-value sample variances of the error, CHW order} */
  public float[] variance() {
    return variance.clone();
  }

  /** The arrays without a copy, for this library only. */
  float[] meanView() {
    return mean;
  }

  float[] varianceView() {
    return variance;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelErrorStatistics s && s.count == count && s.shape.equals(shape)
        && Arrays.equals(s.mean, mean) && Arrays.equals(s.variance, variance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shape, count, Arrays.hashCode(mean));
  }

  @Override
  public String toString() {
    return "PixelErrorStatistics[" + shape + ", " + count + " images]";
  }

  /** Welford's running mean and variance per value, in double; not thread-safe. */
  static final class Accumulator {
    private final ImageShape shape;
    private final double[] mean;
    private final double[] m2;
    private int count;

    Accumulator(ImageShape shape) {
      this.shape = shape;
      this.mean = new double[shape.size()];
      this.m2 = new double[shape.size()];
    }

    /** Adds the per-value errors of {@code batch} against its reconstructions. */
    void add(ImageBatch batch, float[][] reconstructions, ReconstructionError measure) {
      float[] target = new float[shape.size()];
      for (int i = 0; i < batch.size(); i++) {
        batch.copyTo(i, i + 1, target, 0);
        double[] errors;
        try {
          errors = measure.pixelErrors(target, reconstructions[i]);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("reconstruction of image " + i + " is not usable: " + e.getMessage()
              + "; the autoencoder produced an invalid output", e);
        }
        count++;
        for (int k = 0; k < errors.length; k++) {
          double delta = errors[k] - mean[k];
          mean[k] += delta / count;
          m2[k] += delta * (errors[k] - mean[k]);
        }
      }
    }

    PixelErrorStatistics result() {
      float[] m = new float[mean.length];
      float[] v = new float[mean.length];
      for (int k = 0; k < m.length; k++) {
        m[k] = (float) mean[k];
        v[k] = (float) Math.max(0, m2[k] / (count - 1));
      }
      return new PixelErrorStatistics(shape, count, m, v);
    }
  }
}
