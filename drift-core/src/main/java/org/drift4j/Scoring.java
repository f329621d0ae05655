package org.drift4j;

import org.drift4j.spi.Autoencoder;

/**
 * Per-image errors from an autoencoder, with its output checked: the one place the detector,
 * the monitor and baselines get errors from. Chunking large batches is the autoencoder's job
 * (see {@link Autoencoder}), since only it knows what an image costs in memory.
 */
final class Scoring {

  private Scoring() {}

  /** Throws if the batch's shape is not the autoencoder's. */
  static void requireShape(Autoencoder autoencoder, ImageBatch batch) {
    ImageShape expected = autoencoder.inputShape();
    if (!batch.shape().equals(expected)) {
      throw new IllegalArgumentException(
          "batch shape must be " + expected + " (the autoencoder's input shape), but was " + batch.shape());
    }
  }

  /** Throws if the batch's images were not made from decoded images the way the baseline's were. */
  static void requirePreprocessing(Baseline baseline, ImageBatch batch) {
    if (!batch.preprocessing().equals(baseline.preprocessing())) {
      throw new IllegalArgumentException("batch preprocessing must be " + baseline.preprocessing()
          + " (the baseline's images were made so), but was " + batch.preprocessing()
          + "; errors of images resized another way are not comparable");
    }
  }

  /**
   * Per-image errors of {@code batch}.
   *
   * @throws IllegalStateException if the autoencoder returns the wrong number of errors or one that
   *     is negative, NaN or infinite; the message names the image
   */
  static double[] errors(Autoencoder autoencoder, ImageBatch batch, ReconstructionError measure) {
    requireShape(autoencoder, batch);
    double[] errors = autoencoder.errors(batch, measure);
    if (errors == null || errors.length != batch.size()) {
      throw new IllegalStateException("autoencoder must return " + batch.size() + " errors, but returned "
          + (errors == null ? "null" : errors.length));
    }
    for (int i = 0; i < errors.length; i++) {
      if (!(errors[i] >= 0) || errors[i] == Double.POSITIVE_INFINITY) {
        throw new IllegalStateException("error of image " + i + " must be finite and non-negative, but was "
            + errors[i] + "; the autoencoder produced an invalid output");
      }
    }
    return errors;
  }
}
