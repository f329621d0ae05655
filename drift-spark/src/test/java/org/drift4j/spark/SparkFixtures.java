package org.drift4j.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.onnx.proto.OnnxProto;
import org.drift4j.onnx.proto.Protobuf;

/** The tests' Spark session (local[2], one per test JVM), a tiny ONNX autoencoder, PNG folders. */
final class SparkFixtures {

  static final ImageShape SHAPE = ImageShape.grey(16, 16);
  private static SparkSession spark;

  private SparkFixtures() {}

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark = SparkSession.builder().master("local[2]").appName("drift4j-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .getOrCreate();
    }
    return spark;
  }

  /**
   * A 3×3 box blur as an autoencoder ([N, 1, H, W] → [N, 1, H, W], zero padding): smooth images
   * come back nearly whole, noise does not, blank images perfectly.
   */
  static byte[] blurModel(ImageShape shape) {
    float[] kernel = new float[9];
    java.util.Arrays.fill(kernel, 1f / 9);
    Protobuf g = new Protobuf().string(2, "blur");
    g.message(1, OnnxProto.node("Conv", "blur", List.of("x", "w"), "y", OnnxProto.ints("kernel_shape", 3, 3),
        OnnxProto.ints("pads", 1, 1, 1, 1)));
    g.message(5, OnnxProto.floatTensor("w", new long[] {1, 1, 3, 3}, kernel));
    g.message(11, OnnxProto.floatValue("x", "N", 1L, (long) shape.height(), (long) shape.width()));
    g.message(12, OnnxProto.floatValue("y", "N", 1L, (long) shape.height(), (long) shape.width()));
    return OnnxProto.model(g, 13, "test").toByteArray();
  }

  static SparkModel model() {
    try {
      return SparkModel.of(blurModel(SHAPE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes each image as an 8-bit grey PNG {@code prefix-00000.png} into {@code dir}. */
  static List<Path> writePngs(Path dir, ImageBatch images, String prefix) {
    try {
      Files.createDirectories(dir);
      List<Path> files = new ArrayList<>();
      ImageShape s = images.shape();
      for (int i = 0; i < images.size(); i++) {
        BufferedImage png = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = images.image(i);
        for (int y = 0; y < s.height(); y++) {
          for (int x = 0; x < s.width(); x++) {
            int v = Math.round(pixels[y * s.width() + x] * 255);
            png.getRaster().setSample(x, y, 0, v);
          }
        }
        Path file = dir.resolve(String.format("%s-%05d.png", prefix, i));
        ImageIO.write(png, "png", file.toFile());
        files.add(file);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PNGs under {@code dir}, decoded as the single-JVM path reads them, in path order. */
  static ImageBatch readPngs(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<BufferedImage> images = new ArrayList<>();
      for (Path p : walk.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
        images.add(ImageIO.read(p.toFile()));
      }
      return ImageBatch.ofImages(SHAPE, images);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
