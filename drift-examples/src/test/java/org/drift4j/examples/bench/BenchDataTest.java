package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.drift4j.ImageBatch;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.spi.Autoencoder;
import org.junit.jupiter.api.Test;

class BenchDataTest {

  @Test
  void theOnnxEngineIsTheExportOfTheDl4jModelAndRebuildsAlike() throws Exception {
    Autoencoder dl4j = BenchData.model("dl4j");
    try (OnnxAutoencoder onnx = (OnnxAutoencoder) BenchData.model("onnx")) {
      ImageBatch images = BenchData.images(5, 4);
      float[][] a = dl4j.reconstruct(images);
      float[][] b = onnx.reconstruct(images);
      for (int i = 0; i < a.length; i++) {
        for (int p = 0; p < a[i].length; p++) {
          assertThat((double) b[i][p]).isCloseTo(a[i][p], org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void anUnknownEngineIsNamed() {
    assertThatThrownBy(() -> BenchData.model("tensorflow")).hasMessage("engine must be dl4j or onnx, but was tensorflow");
  }
}
