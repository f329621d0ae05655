package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.AutoencoderContract;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

/** The compatibility kit on a model exported by PyTorch, errors from the Java Vector API. */
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

  @Test
  void errorsComeFromTheVectorApi() {
    assertThat(MODEL.usesVectorApi())
        .as("the test JVM must run with --add-modules jdk.incubator.vector (drift-onnx's surefire argLine)")
        .isTrue();
  }
}
