package org.drift4j.examples.bench;

import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.onnx.OnnxModelException;
import org.drift4j.spi.Autoencoder;

/** Seeded synthetic 28×28 images for speed measurements: soft blobs, MNIST-like in ink and size. */
public final class BenchData {

  public static final ImageShape SHAPE = ImageShape.grey(28, 28);

  private BenchData() {}

  /**
   * The reference autoencoder after one epoch on 256 of these images: speed does not depend on
   * how well it is trained.
   */
  public static Dl4jAutoencoder model() {
    return Dl4jTrainer.builder(Dl4jArchitecture.reference(SHAPE)).epochs(1).validationFraction(0).build()
        .train(images(256, 1)).autoencoder();
  }

  /**
   * The reference autoencoder on {@code engine}: {@code dl4j}, or {@code onnx} (its export on ONNX
   * Runtime with default options).
   *
   * @throws IllegalArgumentException for another engine name
   */
  public static Autoencoder model(String engine) {
    return switch (engine) {
      case "dl4j" -> model();
      case "onnx" -> {
        try (Dl4jAutoencoder dl4j = model()) {
          yield OnnxAutoencoder.fromBytes(Dl4jOnnxExporter.export(dl4j), OnnxConfig.ofDefaults());
        } catch (OnnxModelException e) {
          throw new IllegalStateException("the export of the reference model did not load: " + e.getMessage(), e);
        }
      }
      default -> throw new IllegalArgumentException("engine must be dl4j or onnx, but was " + engine);
    };
  }

  public static ImageBatch images(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] flat = new float[count * SHAPE.size()];
    for (int i = 0; i < count; i++) {
      double cy = 8 + 12 * random.nextDouble();
      double cx = 8 + 12 * random.nextDouble();
      double sy = 2 + 4 * random.nextDouble();
      double sx = 2 + 4 * random.nextDouble();
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          double r = (y - cy) * (y - cy) / (2 * sy * sy) + (x - cx) * (x - cx) / (2 * sx * sx);
          flat[i * 784 + y * 28 + x] = (float) Math.exp(-r);
        }
      }
    }
    return ImageBatch.ofFlat(SHAPE, flat);
  }
}
