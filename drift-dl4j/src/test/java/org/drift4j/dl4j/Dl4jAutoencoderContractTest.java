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
  protected Autoencoder autoencoderWithNonFiniteOutput() {
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = TinyModels.trained().autoencoder().multiLayerNetwork();
    net.params().assign(Float.NaN);
    return Dl4jAutoencoder.wrap(net, TinyModels.SHAPE, TinyModels.ARCHITECTURE.inferenceFormat(), Dl4jConfig.ofDefaults());
  }

  @Override
  protected ImageBatch images(int count, long seed) {
    return TinyModels.blobs(count, seed);
  }
}
