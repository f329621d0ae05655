package org.drift4j;

import org.drift4j.internal.FastLog;

/**
 * How one image's reconstruction error is measured: a per-pixel loss averaged over all pixels
 * of the image.
 *
 * <p>{@link #BINARY_CROSS_ENTROPY} is what the reference experiment reports. Against targets that
 * are not 0 or 1 it has an <em>entropy floor</em>: a grey pixel {@code t} costs
 * {@code -t ln t - (1-t) ln(1-t) > 0} even when it is rebuilt perfectly, so the error mixes how
 * grey an image is with how well it is rebuilt. {@link #MEAN_SQUARED_ERROR} is zero for a perfect
 * reconstruction and is the safer choice for images that are not nearly binary.
 *
 * <p>Immutable and thread-safe.
 */
public enum ReconstructionError {

  /**
   * Mean binary cross-entropy per pixel, natural logarithm, with the reconstruction clipped to
   * [1e-7, 1 - 1e-7] as Keras does.
   */
  BINARY_CROSS_ENTROPY {
    @Override
    double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
      double sum = 0;
      for (int k = 0; k < length; k++) {
        float t = target[targetOffset + k];
        double o = clip(finite(output[outputOffset + k], k));
        // black and white pixels need one logarithm, not two (most of an MNIST image)
        if (t == 0f) {
          sum -= FastLog.ln(1.0 - o);
        } else if (t == 1f) {
          sum -= FastLog.ln(o);
        } else {
          sum -= t * FastLog.ln(o) + (1.0 - t) * FastLog.ln(1.0 - o);
        }
      }
      return sum;
    }
  },

  /** Mean squared difference per pixel. */
  MEAN_SQUARED_ERROR {
    @Override
    double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
      double sum = 0;
      for (int k = 0; k < length; k++) {
        double d = (double) target[targetOffset + k] - finite(output[outputOffset + k], k);
        sum += d * d;
      }
      return sum;
    }
  },

  /** Mean absolute difference per pixel. */
  MEAN_ABSOLUTE_ERROR {
    @Override
    double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
      double sum = 0;
      for (int k = 0; k < length; k++) {
        sum += Math.abs((double) target[targetOffset + k] - finite(output[outputOffset + k], k));
      }
      return sum;
    }
  };

  /** Clipping applied to outputs before taking logarithms. */
  public static final double EPSILON = 1e-7;

  /** The summed per-pixel loss; each constant has its own loop so that it compiles to tight code. */
  abstract double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length);

  private static double clip(double o) {
    return Math.min(Math.max(o, EPSILON), 1.0 - EPSILON);
  }

  private static float finite(float o, int index) {
    if (!Float.isFinite(o)) {
      throw new IllegalArgumentException("reconstruction value " + index + " must be finite, but was " + o
          + "; the autoencoder produced an invalid output");
    }
    return o;
  }

  /**
   * The error of one image: the mean per-pixel loss of {@code output[outputOffset ..]} against
   * {@code target[targetOffset ..]} over {@code length} values.
   *
   * @throws IllegalArgumentException if an output value is NaN or infinite
   */
  public double of(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
    return sum(target, targetOffset, output, outputOffset, length) / length;
  }

  /**
   * The error of every image of {@code batch} given its reconstructions.
   *
   * @param reconstructions one row of {@code batch.shape().size()} values per image
   * @throws IllegalStateException if there is not one row of the right length per image (the
   *     autoencoder broke its contract)
   * @throws IllegalArgumentException if a reconstruction value is NaN or infinite
   */
  public double[] errors(ImageBatch batch, float[][] reconstructions) {
    int n = batch.shape().size();
    if (reconstructions == null || reconstructions.length != batch.size()) {
      throw new IllegalStateException("autoencoder must return " + batch.size() + " reconstructions, but returned "
          + (reconstructions == null ? "null" : reconstructions.length));
    }
    float[] target = new float[n];
    double[] errors = new double[batch.size()];
    for (int i = 0; i < errors.length; i++) {
      float[] out = reconstructions[i];
      if (out == null || out.length != n) {
        throw new IllegalStateException("reconstruction " + i + " must have " + n + " values, but had "
            + (out == null ? "null" : out.length));
      }
      batch.copyTo(i, i + 1, target, 0);
      errors[i] = of(target, 0, out, 0, n);
    }
    return errors;
  }

  /** The error of one image: {@code target} and {@code output} must have equal lengths. */
  public double of(float[] target, float[] output) {
    if (target.length != output.length) {
      throw new IllegalArgumentException(
          "output.length must equal target.length " + target.length + ", but was " + output.length);
    }
    return of(target, 0, output, 0, target.length);
  }
}
