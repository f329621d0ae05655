package org.drift4j;

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
    double pixelLoss(float target, float output) {
      double o = Math.min(Math.max(output, EPSILON), 1.0 - EPSILON);
      return -(target * Math.log(o) + (1.0 - target) * Math.log(1.0 - o));
    }
  },

  /** Mean squared difference per pixel. */
  MEAN_SQUARED_ERROR {
    @Override
    double pixelLoss(float target, float output) {
      double d = (double) target - output;
      return d * d;
    }
  },

  /** Mean absolute difference per pixel. */
  MEAN_ABSOLUTE_ERROR {
    @Override
    double pixelLoss(float target, float output) {
      return Math.abs((double) target - output);
    }
  };

  /** Clipping applied to outputs before taking logarithms. */
  public static final double EPSILON = 1e-7;

  abstract double pixelLoss(float target, float output);

  /**
   * The error of one image: the mean per-pixel loss of {@code output[outputOffset ..]} against
   * {@code target[targetOffset ..]} over {@code length} values.
   *
   * @throws IllegalArgumentException if an output value is NaN or infinite
   */
  public double of(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
    double sum = 0;
    for (int k = 0; k < length; k++) {
      float o = output[outputOffset + k];
      if (!Float.isFinite(o)) {
        throw new IllegalArgumentException("reconstruction value " + k + " must be finite, but was " + o
            + "; the autoencoder produced an invalid output");
      }
      sum += pixelLoss(target[targetOffset + k], o);
    }
    return sum / length;
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
