package org.drift4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.drift4j.ImageBatch;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxVerification;
import org.junit.jupiter.api.Test;

/** The reference autoencoder trained on real digits computes the same function on ONNX Runtime. */
class OnnxOnRealMnistTest {

  @Test
  void theExportMatchesDl4jWithin1e5OnRealDigits() throws Exception {
    ImageBatch digits = RealMnist.digits().images();
    int[] every10th = java.util.stream.IntStream.range(0, digits.size()).filter(i -> i % 10 == 0).toArray();
    ImageBatch sample = digits.select(every10th);
    Dl4jAutoencoder dl4j = Dl4jTrainer.builder(Dl4jArchitecture.reference(sample.shape())).epochs(1)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).validationFraction(0).build().train(sample.slice(0, 800)).autoencoder();
    try (OnnxAutoencoder onnx = OnnxAutoencoder.fromBytes(Dl4jOnnxExporter.export(dl4j), org.drift4j.onnx.OnnxConfig.ofDefaults())) {
      OnnxVerification v = OnnxVerification.compare(dl4j, onnx, sample.slice(800, sample.size()), 1e-5);
      assertThat(v.images()).isEqualTo(200);
      assertThat(v.maxAbsDifference()).isLessThanOrEqualTo(1e-5);
    }
  }
}
