package org.drift4j.onnx;

import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.AutoencoderContract;
import org.drift4j.testkit.SyntheticImages;

/** The compatibility kit on a model exported by PyTorch. */
class OnnxAutoencoderContractTest extends AutoencoderContract {

  private static final OnnxAutoencoder MODEL = Fixtures.pytorch();

  @Override
  protected Autoencoder autoencoder() {
    return MODEL;
  }

  @Override
  protected ImageBatch images(int count, long seed) {
    return SyntheticImages.blobs(Fixtures.MNIST, count, seed);
  }
}
