package org.drift4j.spring;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.imageio.ImageIO;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.ImageBatch;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxVerification;
import org.drift4j.onnx.proto.OnnxProto;
import org.drift4j.onnx.proto.Protobuf;
import org.drift4j.testkit.SyntheticImages;

/**
 * The models and baselines the starter's tests load: test resources under {@code drift4j-models/}
 * (made by {@link #generate}, see {@code TestModelsGenerator}): a small reference autoencoder
 * trained with DL4J on blob images, its verified ONNX export, and a baseline of blob images sent
 * as 56×56 PNGs and resized (bilinear) to the model's 28×28; and, made once per JVM under
 * {@code target/drift4j-test-models}, a jar of them for class-path loading and a model of another
 * shape. The calibration cache beside the baseline survives between runs (thresholds depend on
 * sizes only).
 */
public final class TestModels {

  /** The model's input. */
  public static final ImageShape SHAPE = ImageShape.grey(28, 28);
  /** The side of the PNG images requests carry. */
  public static final int PNG_SIZE = 56;
  /** How request images become the model's input, as the baseline records it. */
  public static final ImagePreprocessing PREPROCESSING = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.BILINEAR);
  /** Images in the baseline. */
  public static final int BASELINE_IMAGES = 2_000;

  private static Models models;

  /**
   * The files.
   *
   * @param dir the folder
   * @param onnx the verified ONNX export (its verification record beside it)
   * @param dl4j the DL4J model
   * @param baseline the baseline
   * @param jar a jar with drift/model.onnx (+ record), drift/model.zip, drift/baseline.json and
   *     bare/model.onnx (no record)
   * @param otherShape an ONNX model of another input shape (1×16×16)
   * @param fingerprint the DL4J model's fingerprint
   */
  public record Models(Path dir, Path onnx, Path dl4j, Path baseline, Path jar, Path otherShape, String fingerprint) {

    /** {@return a Spring location of a file} */
    public static String location(Path file) {
      return file.toAbsolutePath().toUri().toString();
    }
  }

  private TestModels() {}

  /** {@return the models, made on first use} */
  public static synchronized Models models() {
    if (models == null) {
      try {
        models = make(Path.of("target", "drift4j-test-models").toAbsolutePath());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return models;
  }

  /** Properties of a context that loads the ONNX model and the baseline from files. */
  public static String[] fileProperties() {
    Models m = models();
    return new String[] {"drift4j.model.location=" + Models.location(m.onnx()),
        "drift4j.baseline.location=" + Models.location(m.baseline()), "drift4j.monitor.expected-run-time=1000"};
  }

  private static Models make(Path dir) throws IOException {
    Path resources = resource("drift4j-models/baseline.json").getParent();
    Path onnx = resources.resolve("model.onnx");
    Path zip = resources.resolve("model.zip");
    Path baselineFile = resources.resolve("baseline.json");
    Files.createDirectories(dir);
    Path other = dir.resolve("other-shape.onnx");
    Files.write(other, identityModel(ImageShape.grey(16, 16)));
    Path jar = dir.resolve("models.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      put(out, "drift/model.onnx", onnx);
      put(out, "drift/model.onnx" + OnnxVerification.SUFFIX, OnnxVerification.pathFor(onnx));
      put(out, "drift/model.zip", zip);
      put(out, "drift/baseline.json", baselineFile);
      put(out, "bare/model.onnx", onnx);
    }
    String fingerprint = BaselineStore.read(baselineFile).autoencoderFingerprint();
    return new Models(dir, onnx, zip, baselineFile, jar, other, fingerprint);
  }

  private static Path resource(String name) {
    try {
      return Path.of(TestModels.class.getResource("/" + name).toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + name + " is missing; see TestModelsGenerator", e);
    }
  }

  /**
   * Trains the model and writes the files the tests load into {@code dir}: the DL4J model, its
   * verified ONNX export and a baseline of {@value #BASELINE_IMAGES} blob images (a few minutes on
   * a busy 2-core machine; {@code TestModelsGenerator} runs it).
   */
  static void generate(Path dir) throws IOException {
    Files.createDirectories(dir);
    ImageBatch training = PREPROCESSING.batch(SHAPE, blobImages(512, 1));
    Dl4jAutoencoder dl4j = Dl4jTrainer.builder(Dl4jArchitecture.builder(SHAPE).filters(8, 8).build()).epochs(3)
        .batchSize(32).optimizer(Dl4jTrainer.Optimizer.ADAM).learningRate(0.01).validationFraction(0).seed(3)
        .dataSource("TestModels.blobImages(512, 1), " + PNG_SIZE + "px PNG-like, resized " + PREPROCESSING).build()
        .train(training).autoencoder();
    dl4j.save(dir.resolve("model.zip"));
    Path onnx = dir.resolve("model.onnx");
    Files.write(onnx, Dl4jOnnxExporter.export(dl4j));
    try (OnnxAutoencoder exported = OnnxAutoencoder.load(onnx)) {
      OnnxVerification.compare(dl4j, exported, PREPROCESSING.batch(SHAPE, blobImages(20, 2)), 1e-5)
          .withSourceFile(dir.resolve("model.zip")).writeFor(onnx);
    }
    try (OnnxAutoencoder verified = OnnxAutoencoder.load(onnx)) {
      Baseline baseline = Baseline.compute(verified, PREPROCESSING.batch(SHAPE, blobImages(BASELINE_IMAGES, 3)),
          ReconstructionError.BINARY_CROSS_ENTROPY);
      BaselineStore.write(baseline, dir.resolve("baseline.json"));
    }
    dl4j.close();
  }

  private static void put(JarOutputStream out, String name, Path file) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(Files.readAllBytes(file));
    out.closeEntry();
  }

  /** An ONNX model [N, 1, h, w] → the same, rebuilding its input exactly. */
  private static byte[] identityModel(ImageShape shape) {
    Protobuf g = new Protobuf().string(2, "identity");
    g.message(1, OnnxProto.node("Identity", "id", List.of("x"), "y"));
    g.message(11, OnnxProto.floatValue("x", "N", shape.channels(), shape.height(), shape.width()));
    g.message(12, OnnxProto.floatValue("y", "N", shape.channels(), shape.height(), shape.width()));
    return OnnxProto.model(g, 13, "test").toByteArray();
  }

  /** Clean request images: Gaussian blobs, 8-bit grey, {@value #PNG_SIZE} pixels square. */
  public static List<BufferedImage> blobImages(int count, long seed) {
    return grey(SyntheticImages.blobs(ImageShape.grey(PNG_SIZE, PNG_SIZE), count, seed));
  }

  /** Drifted request images: uniform noise, 8-bit grey. */
  public static List<BufferedImage> noiseImages(int count, long seed) {
    return grey(SyntheticImages.noise(ImageShape.grey(PNG_SIZE, PNG_SIZE), count, seed));
  }

  private static List<BufferedImage> grey(ImageBatch batch) {
    List<BufferedImage> images = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      BufferedImage image = new BufferedImage(PNG_SIZE, PNG_SIZE, BufferedImage.TYPE_BYTE_GRAY);
      WritableRaster raster = image.getRaster();
      float[] pixels = batch.image(i);
      for (int y = 0; y < PNG_SIZE; y++) {
        for (int x = 0; x < PNG_SIZE; x++) {
          raster.setSample(x, y, 0, Math.round(Math.min(1f, Math.max(0f, pixels[y * PNG_SIZE + x])) * 255));
        }
      }
      images.add(image);
    }
    return images;
  }

  /** {@return the image as PNG bytes} */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
