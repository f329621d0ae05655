package org.drift4j.dl4j;

import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.AutoencoderContract;

class Dl4jAutoencoderContractTest extends AutoencoderContract {

  @Override
  protected Autoencoder autoencoder() {
    return TinyModels.trained().autoencoder();
  }

  @Override
  protected ImageBatch images(int count, long seed) {
    return TinyModels.blobs(count, seed);
  }
}
