package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.drift4j.spi.Autoencoder;
import org.junit.jupiter.api.Test;

/** The compatibility kit on a model exported by PyTorch, errors from the Java Vector API. */
class OnnxAutoencoderContractTest extends OnnxContract {

  private static final OnnxAutoencoder MODEL = Fixtures.pytorch();

  @Override
  OnnxConfig config() {
    return OnnxConfig.ofDefaults();
  }

  @Override
  protected Autoencoder autoencoder() {
    return MODEL;
  }

  @Test
  void errorsComeFromTheVectorApi() {
    assertThat(MODEL.usesVectorApi())
        .as("the test JVM must run with --add-modules jdk.incubator.vector (drift-onnx's surefire argLine)")
        .isTrue();
  }
}
