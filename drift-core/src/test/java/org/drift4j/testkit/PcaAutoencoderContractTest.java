package org.drift4j.testkit;

import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.spi.Autoencoder;

class PcaAutoencoderContractTest extends AutoencoderContract {

  private static final ImageShape SHAPE = ImageShape.grey(8, 8);
  private static final PcaAutoencoder PCA = PcaAutoencoder.fit(SyntheticImages.blobs(SHAPE, 300, 42), 6, 1);

  @Override
  protected Autoencoder autoencoder() {
    return PCA;
  }

  @Override
  protected Autoencoder autoencoderWithNonFiniteOutput() {
    return Fakes.of(SHAPE, "pca-nan", batch -> {
      float[][] out = PCA.reconstruct(batch);
      for (float[] row : out) {
        row[row.length / 2] = Float.NaN;
      }
      return out;
    });
  }

  @Override
  protected ImageBatch images(int count, long seed) {
    return SyntheticImages.blobs(SHAPE, count, seed);
  }
}
