package org.drift4j.spark;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.drift4j.ImageShape;
import org.drift4j.onnx.proto.OnnxProto;
import org.drift4j.onnx.proto.Protobuf;

/**
 * The data of {@link SparkAuditBench}: IDX files read, images encoded as PNG, the archive's days
 * with drift injected on known days, and an autoencoder of the reference architecture with seeded
 * weights. Not thread-safe.
 */
final class BenchArchive {

  static final ImageShape SHAPE = ImageShape.grey(28, 28);

  /** One archived image: its day, its global sequence number, where it came from, its PNG bytes. */
  record Image(int day, long seq, String source, byte[] png) {}

  private BenchArchive() {}

  /** The images of an IDX file (raw or .gz) as 8-bit pixel rows of 784 bytes. */
  static List<byte[]> readIdx(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + " (the benchmark needs Fashion-MNIST under"
          + " /usr/share/datasets/fashion-mnist and MNIST under ~/.cache/drift4j/mnist; see docs/spark.md)");
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        DataInputStream in = new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
      int magic = in.readInt();
      if (magic != 2051) {
        throw new IOException(file + " must be an IDX image file (magic 2051), but its magic was " + magic);
      }
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (rows != 28 || cols != 28) {
        throw new IOException(file + " must hold 28x28 images, but held " + rows + "x" + cols);
      }
      List<byte[]> images = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte[] pixels = new byte[rows * cols];
        in.readFully(pixels);
        images.add(pixels);
      }
      return images;
    }
  }

  /** An 8-bit grey PNG of 784 pixel bytes. */
  static byte[] png(byte[] pixels) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, 28, 28, pixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding in memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * The archive: {@code days} days of {@code perDay} images, each day a random draw without
   * replacement from {@code clean} (so images repeat across days, never within one); on each
   * day of {@code drifted}, from image {@code perDay / 2} on, each image is replaced by one of
   * {@code foreign} with probability {@code share}.
   */
  static List<Image> days(List<byte[]> clean, List<byte[]> foreign, int days, int perDay, List<Integer> drifted,
      double share, long seed) {
    if (perDay > clean.size()) {
      throw new IllegalArgumentException("perDay must be at most the " + clean.size() + " clean images, but was "
          + perDay);
    }
    byte[][] pngs = new byte[clean.size()][];
    byte[][] foreignPngs = new byte[foreign.size()][];
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = new int[clean.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    List<Image> archive = new ArrayList<>(days * perDay);
    int nextForeign = 0;
    long seq = 0;
    for (int day = 1; day <= days; day++) {
      for (int i = 0; i < perDay; i++) {
        int j = i + random.nextInt(order.length - i);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int i = 0; i < perDay; i++, seq++) {
        boolean swap = drifted.contains(day) && i >= perDay / 2 && random.nextDouble() < share;
        if (swap) {
          int f = nextForeign++ % foreign.size();
          if (foreignPngs[f] == null) {
            foreignPngs[f] = png(foreign.get(f));
          }
          archive.add(new Image(day, seq, "foreign-" + f, foreignPngs[f]));
        } else {
          int c = order[i];
          if (pngs[c] == null) {
            pngs[c] = png(clean.get(c));
          }
          archive.add(new Image(day, seq, "clean-" + c, pngs[c]));
        }
      }
    }
    return archive;
  }

  /**
   * The reference architecture (Conv 32, MaxPool, Conv 32, MaxPool, Conv 32, Upsample, Conv 32,
   * Upsample, Conv 1 with sigmoid; 3×3 same convolutions with ReLU) for 28×28 grey images, with
   * He-normal weights from {@code seed}: the cost of a trained model of that architecture.
   */
  static byte[] referenceModel(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Protobuf g = new Protobuf().string(2, "reference-seeded");
    List<Protobuf> weights = new ArrayList<>();
    String x = "input";
    int[][] convs = {{1, 32}, {32, 32}, {32, 32}, {32, 32}, {32, 1}};
    for (int l = 0; l < convs.length; l++) {
      int in = convs[l][0];
      int out = convs[l][1];
      float[] w = new float[out * in * 9];
      double std = Math.sqrt(2.0 / (in * 9));
      for (int k = 0; k < w.length; k++) {
        w[k] = (float) (gaussian(random) * std);
      }
      weights.add(OnnxProto.floatTensor("w" + l, new long[] {out, in, 3, 3}, w));
      weights.add(OnnxProto.floatTensor("b" + l, new long[] {out}, new float[out]));
      g.message(1, OnnxProto.node("Conv", "conv" + l, List.of(x, "w" + l, "b" + l), "c" + l,
          OnnxProto.ints("kernel_shape", 3, 3), OnnxProto.ints("pads", 1, 1, 1, 1)));
      x = "c" + l;
      String act = l == convs.length - 1 ? "Sigmoid" : "Relu";
      g.message(1, OnnxProto.node(act, act + l, List.of(x), "a" + l));
      x = "a" + l;
      if (l < 2) {
        g.message(1, OnnxProto.node("MaxPool", "pool" + l, List.of(x), "p" + l, OnnxProto.ints("kernel_shape", 2, 2),
            OnnxProto.ints("strides", 2, 2)));
        x = "p" + l;
      } else if (l < 4) {
        weights.add(OnnxProto.floatTensor("s" + l, new long[] {4}, 1f, 1f, 2f, 2f));
        g.message(1, OnnxProto.node("Resize", "up" + l, List.of(x, "", "s" + l), "u" + l,
            OnnxProto.string("mode", "nearest"), OnnxProto.string("coordinate_transformation_mode", "asymmetric"),
            OnnxProto.string("nearest_mode", "floor")));
        x = "u" + l;
      }
    }
    g.message(1, OnnxProto.node("Identity", "output", List.of(x), "output"));
    weights.forEach(w -> g.message(5, w));
    g.message(11, OnnxProto.floatValue("input", "N", 1L, 28L, 28L));
    g.message(12, OnnxProto.floatValue("output", "N", 1L, 28L, 28L));
    return OnnxProto.model(g, 13, "bench").toByteArray();
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
