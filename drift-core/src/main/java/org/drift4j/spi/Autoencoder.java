package org.drift4j.spi;

import java.util.Optional;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * The extension point: a model that reconstructs images, whose reconstruction error
 * {@link org.drift4j.DriftDetector} compares against a {@link org.drift4j.Baseline}.
 *
 * <p>Implementations <strong>must be safe for concurrent calls</strong>: a detector calls
 * {@link #reconstruct} (or {@link #errors}) from every request thread at once. A model that is not
 * thread-safe can guard itself with {@code synchronized}, or keep one copy per thread.
 *
 * <p>Batches come whole, of any size (a baseline may be computed from 100,000 images in one
 * call): an implementation whose memory grows with the batch feeds its model in chunks.
 *
 * <p>Ownership: Drift4j never closes an autoencoder it was handed. An implementation that holds
 * native resources implements {@link AutoCloseable}; whoever created it closes it.
 *
 * <p>A complete implementation: the simplest autoencoder there is, which rebuilds every image as
 * the mean of the training images. It is a useful sanity baseline: its error measures how far an
 * image is from the average training image.
 *
 * <pre>{@code
 * public final class MeanImageAutoencoder implements Autoencoder {
 *   private final ImageShape shape;
 *   private final float[] mean;
 *
 *   public MeanImageAutoencoder(ImageBatch training) {
 *     this.shape = training.shape();
 *     this.mean = new float[shape.size()];
 *     for (int i = 0; i < training.size(); i++) {
 *       for (int p = 0; p < mean.length; p++) {
 *         mean[p] += training.pixel(i, p) / training.size();
 *       }
 *     }
 *   }
 *
 *   public ImageShape inputShape() { return shape; }
 *
 *   public float[][] reconstruct(ImageBatch batch) {
 *     float[][] out = new float[batch.size()][];
 *     for (int i = 0; i < out.length; i++) out[i] = mean.clone();
 *     return out;
 *   }
 *
 *   public String fingerprint() { return "mean-image:" + java.util.Arrays.hashCode(mean); }
 * }
 * }</pre>
 */
public interface Autoencoder {

  /**
   * The shape of the images this model takes and returns.
   *
   * @return the shape; the same on every call
   */
  ImageShape inputShape();

  /**
   * Reconstructs every image of the batch. The detector has already checked that
   * {@code batch.shape()} equals {@link #inputShape()}.
   *
   * @param batch images of shape {@link #inputShape()}
   * @return one row per image, each {@code inputShape().size()} values in CHW order; for
   *     {@link org.drift4j.ReconstructionError#BINARY_CROSS_ENTROPY} values should lie in [0, 1].
   *     A non-finite value is refused by the caller with an {@link IllegalStateException}
   *     naming the image
   */
  float[][] reconstruct(ImageBatch batch);

  /**
   * The reconstruction error of every image under {@code measure}. The default reconstructs the
   * batch and applies {@link ReconstructionError#errors}; a backend that can compute the error
   * next to the reconstruction (in native, vectorised code, without copying reconstructions out)
   * may override it. An override must agree with the default within 1e-5 relative, and fail as it
   * does on a non-finite reconstruction (an {@link IllegalStateException} naming the image); the
   * compatibility kit checks both. The detector has already checked the batch's shape.
   *
   * @param batch images of shape {@link #inputShape()}
   * @param measure how each image's error is measured
   * @return one error per image
   * @throws IllegalStateException if a reconstruction is not finite
   */
  default double[] errors(ImageBatch batch, ReconstructionError measure) {
    return measure.errors(batch, reconstruct(batch));
  }

  /**
   * The latent code of every image, if this model exposes one.
   *
   * @param batch images of shape {@link #inputShape()}
   * @return one row per image, or empty if the model has no accessible code (the default)
   */
  default Optional<float[][]> encode(ImageBatch batch) {
    return Optional.empty();
  }

  /**
   * A stable identifier of the function this model computes: two models with the same fingerprint
   * must give the same reconstructions. A baseline records the fingerprint of the model it was
   * computed with, and a detector refuses a baseline whose fingerprint differs from its model's.
   * A SHA-256 of the architecture and weights is a good choice.
   *
   * @return the fingerprint, not blank
   */
  String fingerprint();
}
