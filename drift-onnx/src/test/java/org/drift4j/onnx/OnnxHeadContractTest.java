package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.drift4j.spi.Autoencoder;
import org.junit.jupiter.api.Test;

/** The compatibility kit on the PyTorch model with errors from ONNX Runtime's error head, not the Vector API. */
class OnnxHeadContractTest extends OnnxContract {

  private static final OnnxAutoencoder MODEL = Fixtures.pytorch(OnnxConfig.custom().threads(2).vectorErrors(false).build());

  @Override
  OnnxConfig config() {
    return OnnxConfig.custom().threads(2).vectorErrors(false).build();
  }

  @Override
  protected Autoencoder autoencoder() {
    return MODEL;
  }

  @Test
  void errorsComeFromTheHead() {
    assertThat(MODEL.usesVectorApi()).isFalse();
  }
}
