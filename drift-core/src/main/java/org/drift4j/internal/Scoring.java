package org.drift4j.internal;

import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;

/** Reconstructs batches chunk by chunk and measures per-image errors. */
public final class Scoring {

  private Scoring() {}

  /** Throws if the batch's shape is not the autoencoder's. */
  public static void requireShape(Autoencoder autoencoder, ImageBatch batch) {
    ImageShape expected = autoencoder.inputShape();
    if (!batch.shape().equals(expected)) {
      throw new IllegalArgumentException(
          "batch shape must be " + expected + " (the autoencoder's input shape), but was " + batch.shape());
    }
  }

  /**
   * Per-image errors of {@code batch}, scoring at most {@code chunkSize} images at a time so that
   * memory stays bounded for large batches.
   */
  public static double[] errors(Autoencoder autoencoder, ImageBatch batch, ReconstructionError error, int chunkSize) {
    requireShape(autoencoder, batch);
    double[] errors = new double[batch.size()];
    for (int from = 0; from < batch.size(); from += chunkSize) {
      int to = Math.min(batch.size(), from + chunkSize);
      ImageBatch chunk = batch.slice(from, to);
      double[] part = autoencoder.errors(chunk, error);
      if (part == null || part.length != chunk.size()) {
        throw new IllegalStateException("autoencoder must return " + chunk.size() + " errors, but returned "
            + (part == null ? "null" : part.length));
      }
      for (int i = 0; i < part.length; i++) {
        if (!(part[i] >= 0) || part[i] == Double.POSITIVE_INFINITY) {
          throw new IllegalStateException("error of image " + (from + i) + " must be finite and non-negative, but was "
              + part[i] + "; the autoencoder produced an invalid output");
        }
      }
      System.arraycopy(part, 0, errors, from, part.length);
    }
    return errors;
  }
}
