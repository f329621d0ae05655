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
    double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
      double sum = 0;
      for (int k = 0; k < length; k++) {
        float t = target[targetOffset + k];
        float raw = output[outputOffset + k];
        if (!Float.isFinite(raw)) {
          return Double.NaN;
        }
        double o = clip(raw);
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

    @Override
    double pixel(float t, float raw) {
      double o = clip(raw);
      if (t == 0f) {
        return -FastLog.ln(1.0 - o);
      } else if (t == 1f) {
        return -FastLog.ln(o);
      }
      return -(t * FastLog.ln(o) + (1.0 - t) * FastLog.ln(1.0 - o));
    }
  },

  /** Mean squared difference per pixel. */
  MEAN_SQUARED_ERROR {
    @Override
    double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
      double sum = 0;
      for (int k = 0; k < length; k++) {
        float o = output[outputOffset + k];
        if (!Float.isFinite(o)) {
          return Double.NaN;
        }
        double d = (double) target[targetOffset + k] - o;
        sum += d * d;
      }
      return sum;
    }

    @Override
    double pixel(float t, float o) {
      double d = (double) t - o;
      return d * d;
    }
  },

  /** Mean absolute difference per pixel. */
  MEAN_ABSOLUTE_ERROR {
    @Override
    double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
      double sum = 0;
      for (int k = 0; k < length; k++) {
        float o = output[outputOffset + k];
        if (!Float.isFinite(o)) {
          return Double.NaN;
        }
        sum += Math.abs((double) target[targetOffset + k] - o);
      }
      return sum;
    }

    @Override
    double pixel(float t, float o) {
      return Math.abs((double) t - o);
    }
  };

  /** Clipping applied to outputs before taking logarithms. */
  public static final double EPSILON = 1e-7;

  /**
   * The summed per-pixel loss, or NaN if an output value is not finite; each constant has its own
   * loop so that it compiles to tight code.
   */
  abstract double sum(float[] target, int targetOffset, float[] output, int outputOffset, int length);

  /** One pixel's loss for a finite output; {@link #sum} adds exactly these, in index order. */
  abstract double pixel(float target, float output);

  private static double clip(double o) {
    return Math.min(Math.max(o, EPSILON), 1.0 - EPSILON);
  }

  /** Index (from {@code offset}) of the first non-finite value, or -1. */
  private static int firstNonFinite(float[] values, int offset, int length) {
    for (int k = 0; k < length; k++) {
      if (!Float.isFinite(values[offset + k])) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The error of one image: the mean per-pixel loss of {@code output[outputOffset ..]} against
   * {@code target[targetOffset ..]} over {@code length} values.
   *
   * @param target the image's pixels
   * @param targetOffset where the image starts in {@code target}
   * @param output the reconstruction's values
   * @param outputOffset where the reconstruction starts in {@code output}
   * @param length number of values per image
   * @return the mean loss
   * @throws IllegalArgumentException if an output value is NaN or infinite
   */
  public double of(float[] target, int targetOffset, float[] output, int outputOffset, int length) {
    double sum = sum(target, targetOffset, output, outputOffset, length);
    if (Double.isNaN(sum)) {
      int k = firstNonFinite(output, outputOffset, length);
      throw new IllegalArgumentException("output value " + k + " must be finite, but was " + output[outputOffset + k]);
    }
    return sum / length;
  }

  /**
   * The per-pixel form of one image's error: the loss of each value, whose mean (summed in index
   * order, divided by the length) is {@link #of(float[], float[])} to the last bit.
   *
   * @param target the image's pixels
   * @param output its reconstruction, of the same length
   * @return one loss per value, in the image's CHW order
   * @throws IllegalArgumentException if the lengths differ or an output value is NaN or infinite
   */
  public double[] pixelErrors(float[] target, float[] output) {
    if (target.length != output.length) {
      throw new IllegalArgumentException(
          "output.length must equal target.length " + target.length + ", but was " + output.length);
    }
    double[] out = new double[target.length];
    for (int k = 0; k < out.length; k++) {
      if (!Float.isFinite(output[k])) {
        throw new IllegalArgumentException("output value " + k + " must be finite, but was " + output[k]);
      }
      out[k] = pixel(target[k], output[k]);
    }
    return out;
  }

  /**
   * The error of every image of {@code batch} given its reconstructions, as an autoencoder
   * returned them.
   *
   * @param batch the images
   * @param reconstructions one row of {@code batch.shape().size()} values per image
   * @return one error per image
   * @throws IllegalStateException if there is not one row of the right length per image, or a
   *     reconstruction value is NaN or infinite (the autoencoder broke its contract); the message
   *     names the image and the value
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
      double sum = sum(target, 0, out, 0, n);
      if (Double.isNaN(sum)) {
        int k = firstNonFinite(out, 0, n);
        throw new IllegalStateException("reconstruction of image " + i + " must be finite, but value " + k + " was "
            + out[k] + "; the autoencoder produced an invalid output");
      }
      errors[i] = sum / n;
    }
    return errors;
  }

  /**
   * The error of one image.
   *
   * @param target the image's pixels
   * @param output its reconstruction, of the same length
   * @return the mean loss
   * @throws IllegalArgumentException if the lengths differ or an output value is NaN or infinite
   */
  public double of(float[] target, float[] output) {
    if (target.length != output.length) {
      throw new IllegalArgumentException(
          "output.length must equal target.length " + target.length + ", but was " + output.length);
    }
    return of(target, 0, output, 0, target.length);
  }
}
