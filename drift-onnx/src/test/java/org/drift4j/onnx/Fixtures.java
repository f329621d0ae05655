package org.drift4j.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.drift4j.ImageShape;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.onnx.proto.OnnxProto;
import org.drift4j.onnx.proto.Protobuf;
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
    return pytorch(OnnxConfig.ofDefaults());
  }

  static OnnxAutoencoder pytorch(OnnxConfig options) {
    try {
      return OnnxAutoencoder.load(resource("pytorch-autoencoder.onnx"), options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A model [N, C, H, W] → [N, C, H, W] applying unary ops one after another. */
  static byte[] tinyModel(String op, int opset, ImageShape shape, String... more) {
    Protobuf g = new Protobuf().string(2, "tiny");
    String in = "x";
    for (int i = 0; i <= more.length; i++) {
      String out = i == more.length ? "y" : "t" + i;
      g.message(1, OnnxProto.node(i == 0 ? op : more[i - 1], "op" + i, java.util.List.of(in), out));
      in = out;
    }
    long[] dims = {shape.channels(), shape.height(), shape.width()};
    g.message(11, OnnxProto.floatValue("x", "N", dims[0], dims[1], dims[2]));
    g.message(12, OnnxProto.floatValue("y", "N", dims[0], dims[1], dims[2]));
    return OnnxProto.model(g, opset, "test").toByteArray();
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
