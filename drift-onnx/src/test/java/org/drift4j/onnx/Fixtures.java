package org.drift4j.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.drift4j.ImageShape;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.testkit.SyntheticImages;

/** Test fixtures: the PyTorch-made ONNX files and a small DL4J model. */
final class Fixtures {

  static final ImageShape MNIST = ImageShape.grey(28, 28);
  private static Dl4jAutoencoder dl4j;

  private Fixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + name + " is missing; run scripts/make_onnx_fixture.py", e);
    }
  }

  static OnnxAutoencoder pytorch() {
    return pytorch(OnnxAutoencoder.Options.DEFAULT);
  }

  static OnnxAutoencoder pytorch(OnnxAutoencoder.Options options) {
    try {
      return OnnxAutoencoder.load(resource("pytorch-autoencoder.onnx"), options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference architecture with 8 filters, trained briefly on blobs. */
  static synchronized Dl4jAutoencoder dl4j() {
    if (dl4j == null) {
      dl4j = Dl4jTrainer.builder(Dl4jArchitecture.builder(MNIST).filters(8, 8).build()).epochs(2).batchSize(32)
          .optimizer(Dl4jTrainer.Optimizer.ADAM).learningRate(0.01).validationFraction(0).seed(3).build()
          .train(SyntheticImages.blobs(MNIST, 256, 1)).autoencoder();
    }
    return dl4j;
  }
}
