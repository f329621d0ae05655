package org.drift4j.onnx;

import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.AutoencoderContract;
import org.drift4j.testkit.SyntheticImages;

/** The compatibility kit on the PyTorch fixture, on MNIST-sized blobs; subclasses pick the options. */
abstract class OnnxContract extends AutoencoderContract {

  /** How the subclass runs its models. */
  abstract OnnxConfig config();

  /** log(-x): NaN, or -infinity where a pixel is black. */
  @Override
  protected Autoencoder autoencoderWithNonFiniteOutput() {
    try {
      return OnnxAutoencoder.fromBytes(Fixtures.tinyModel("Neg", 13, Fixtures.MNIST, "Log"), config());
    } catch (OnnxModelException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected ImageBatch images(int count, long seed) {
    return SyntheticImages.blobs(Fixtures.MNIST, count, seed);
  }
}
