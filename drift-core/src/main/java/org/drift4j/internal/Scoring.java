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
   * Per-image errors of {@code batch}, reconstructing at most {@code chunkSize} images at a time so
   * that memory stays bounded for large batches.
   */
  public static double[] errors(Autoencoder autoencoder, ImageBatch batch, ReconstructionError error, int chunkSize) {
    requireShape(autoencoder, batch);
    int n = batch.shape().size();
    double[] errors = new double[batch.size()];
    float[] target = new float[Math.min(chunkSize, batch.size()) * n];
    for (int from = 0; from < batch.size(); from += chunkSize) {
      int to = Math.min(batch.size(), from + chunkSize);
      ImageBatch chunk = batch.slice(from, to);
      float[][] out = autoencoder.reconstruct(chunk);
      if (out == null || out.length != chunk.size()) {
        throw new IllegalStateException("autoencoder must return " + chunk.size() + " reconstructions, but returned "
            + (out == null ? "null" : out.length));
      }
      batch.copyTo(from, to, target, 0);
      for (int i = 0; i < out.length; i++) {
        if (out[i] == null || out[i].length != n) {
          throw new IllegalStateException("reconstruction " + (from + i) + " must have " + n + " values, but had "
              + (out[i] == null ? "null" : out[i].length));
        }
        errors[from + i] = error.of(target, i * n, out[i], 0, n);
      }
    }
    return errors;
  }
}
