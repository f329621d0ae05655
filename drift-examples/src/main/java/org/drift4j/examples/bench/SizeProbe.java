package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftReport;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jConfig;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.spi.Autoencoder;

/**
 * Training and scoring at one image size, one JSON line on stdout; run once per size and mode in
 * a JVM of its own, so that its peak memory is its own.
 *
 * <ul>
 *   <li>{@code train CxHxW MODEL IMAGES BATCH}: the reference autoencoder, two epochs on
 *       {@code IMAGES} synthetic colour blobs; the second epoch's rate, the peak heap and RSS;
 *       the model saved to {@code MODEL}.
 *   <li>{@code score CxHxW MODEL IMAGES MAX_CHUNK_BYTES}: the model on DL4J and its export on ONNX
 *       Runtime, each with the chunk budget: {@code reconstruct} at batch 32, then one
 *       {@code check()} of {@code IMAGES} 8-bit images in a direct buffer, with peak heap and
 *       the RSS peak during it (reset before it through {@code /proc/self/clear_refs});
 *       an optional sixth argument, {@code SECONDS}, sets how long each rate is measured (3).
 * </ul>
 */
public final class SizeProbe {

  private SizeProbe() {}

  public static void main(String[] args) throws Exception {
    ImageShape shape = parse(args[1]);
    Path model = Path.of(args[2]);
    int images = Integer.parseInt(args[3]);
    ObjectNode result = new ObjectMapper().createObjectNode();
    result.put("mode", args[0]).put("shape", args[1]).put("images", images)
        .put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    if (args[0].equals("train")) {
      train(shape, model, images, Integer.parseInt(args[4]), result);
    } else {
      score(shape, model, images, Long.parseLong(args[4]), args.length > 5 ? Double.parseDouble(args[5]) : 3, result);
    }
    System.out.println(result);
  }

  private static void train(ImageShape shape, Path model, int images, int batch, ObjectNode result)
      throws IOException {
    ImageBatch data = ImageBatch.ofBytes(shape, blobs(shape, images, 1, ByteBuffer.allocate(images * shape.size())));
    Dl4jTrainer.Result trained = Dl4jTrainer.builder(Dl4jArchitecture.reference(shape)).epochs(2).batchSize(batch)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).validationFraction(0).build().train(data);
    try (Dl4jAutoencoder ae = trained.autoencoder()) {
      result.put("batchSize", batch).put("backend", ae.info().training().backend())
          .put("imagesPerSecond", trained.history().get(1).imagesPerSecond())
          .put("firstEpochImagesPerSecond", trained.history().get(0).imagesPerSecond())
          .put("trainingLoss", trained.history().get(1).trainingLoss())
          .put("peakHeapBytes", peakHeap()).put("peakRssBytes", rss("VmHWM"));
      ae.save(model);
    }
  }

  private static void score(ImageShape shape, Path model, int images, long chunkBytes, double seconds,
      ObjectNode result)
      throws IOException {
    result.put("maxChunkBytes", chunkBytes);
    ByteBuffer pixels = blobs(shape, images, 3, ByteBuffer.allocateDirect(images * shape.size()));
    ImageBatch batch = ImageBatch.ofBytes(shape, pixels);
    ImageBatch validation = ImageBatch.ofBytes(shape, blobs(shape, 200, 2, ByteBuffer.allocate(200 * shape.size())));
    Timing timing = new Timing(seconds);
    byte[] onnxBytes;
    try (Dl4jAutoencoder dl4j = Dl4jAutoencoder.load(model, Dl4jConfig.custom().maxChunkBytes(chunkBytes).build())) {
      onnxBytes = Dl4jOnnxExporter.export(dl4j);
    }
    try (OnnxAutoencoder onnx = OnnxAutoencoder.fromBytes(onnxBytes, OnnxConfig.custom().maxChunkBytes(chunkBytes)
        .build())) {
      measure(onnx, batch, validation, timing, result.putObject("onnx"));
    }
    try (Dl4jAutoencoder dl4j = Dl4jAutoencoder.load(model, Dl4jConfig.custom().maxChunkBytes(chunkBytes).build())) {
      measure(dl4j, batch, validation, timing, result.putObject("dl4j"));
    }
  }

  private static void measure(Autoencoder ae, ImageBatch batch, ImageBatch validation, Timing timing,
      ObjectNode result) throws IOException {
    ImageBatch small = batch.slice(0, Math.min(32, batch.size()));
    result.put("reconstructImagesPerSecondBatch32", timing.rate(() -> ae.reconstruct(small), small.size()));
    Baseline baseline = Baseline.compute(ae, validation, ReconstructionError.BINARY_CROSS_ENTROPY);
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    long rssBefore = rss("VmRSS");
    long start = System.nanoTime();
    DriftReport report = DriftDetector.builder(ae, baseline).build().check(batch);
    double seconds = (System.nanoTime() - start) / 1e9;
    result.put("checked", report.batchSize()).put("checkSeconds", seconds)
        .put("checkImagesPerSecond", report.batchSize() / seconds).put("peakHeapBytes", peakHeap())
        .put("rssBeforeCheckBytes", rssBefore).put("peakRssDuringCheckBytes", rss("VmHWM"));
  }

  /** Seeded soft blobs, one per image, each channel its own brightness, as bytes into {@code into}. */
  static ByteBuffer blobs(ImageShape shape, int count, long seed, ByteBuffer into) {
    SplittableRandom random = new SplittableRandom(seed);
    int h = shape.height();
    int w = shape.width();
    for (int i = 0; i < count; i++) {
      double cy = h * (0.3 + 0.4 * random.nextDouble());
      double cx = w * (0.3 + 0.4 * random.nextDouble());
      double sy = h * (0.07 + 0.14 * random.nextDouble());
      double sx = w * (0.07 + 0.14 * random.nextDouble());
      for (int c = 0; c < shape.channels(); c++) {
        double ink = 0.5 + 0.5 * random.nextDouble();
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double r = (y - cy) * (y - cy) / (2 * sy * sy) + (x - cx) * (x - cx) / (2 * sx * sx);
            into.put((byte) Math.round(255 * ink * Math.exp(-r)));
          }
        }
      }
    }
    return into.flip();
  }

  private static ImageShape parse(String text) {
    String[] p = text.split("x", -1);
    return new ImageShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** A /proc/self/status field in bytes (VmRSS, VmHWM), -1 off Linux. */
  private static long rss(String field) throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }
}
