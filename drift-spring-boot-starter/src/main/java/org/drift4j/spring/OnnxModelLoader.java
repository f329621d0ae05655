package org.drift4j.spring;

import java.io.IOException;
import java.net.URL;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.spi.Autoencoder;
import org.jspecify.annotations.Nullable;

/** ONNX models through drift-onnx; the verification record beside the model is read with it. */
final class OnnxModelLoader implements ModelLoader {

  @Override
  public Drift4jProperties.Engine engine() {
    return Drift4jProperties.Engine.ONNX;
  }

  @Override
  public Autoencoder load(URL url, @Nullable Integer threads) throws IOException {
    OnnxConfig.Builder config = OnnxConfig.custom();
    if (threads != null) {
      config.threads(threads);
    }
    return OnnxAutoencoder.load(url, config.build());
  }

  @Override
  public void close(Autoencoder autoencoder) {
    ((OnnxAutoencoder) autoencoder).close();
  }
}
