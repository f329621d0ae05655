package org.drift4j.dl4j;

import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.testkit.SyntheticImages;

/** A small model trained once per JVM on synthetic blobs, shared by the tests. */
final class TinyModels {

  static final ImageShape SHAPE = ImageShape.grey(12, 12);
  static final Dl4jArchitecture ARCHITECTURE = Dl4jArchitecture.builder(SHAPE).filters(8, 8).build();
  private static Dl4jTrainer.Result trained;

  private TinyModels() {}

  static ImageBatch blobs(int count, long seed) {
    return SyntheticImages.blobs(SHAPE, count, seed);
  }

  static Dl4jTrainer.Builder trainer() {
    return Dl4jTrainer.builder(ARCHITECTURE).epochs(3).batchSize(32).optimizer(Dl4jTrainer.Optimizer.ADAM)
        .learningRate(0.01).seed(7).validationFraction(0.2);
  }

  static synchronized Dl4jTrainer.Result trained() {
    if (trained == null) {
      trained = trainer().dataSource("synthetic blobs").build().train(blobs(300, 1));
    }
    return trained;
  }
}
