package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.IdxImageReader;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;

/**
 * The measurement behind the architecture defaults per image size: each architecture of a grid
 * trained the same way on the same images (Adam, {@code drift4j train}'s settings, seed 42, a 9:1
 * split, every epoch run), then its validation error, training rate and scoring rates. One JSON
 * line per architecture, appended to the output file. Scoring is timed as {@code drift4j check}
 * runs it: the saved model loaded again, and its ONNX export, reconstructing batches of 32
 * validation images.
 *
 * <p>Arguments: {@code IDX OUT_JSONL IMAGES EPOCHS BATCH FILTERS...}, each {@code FILTERS} one
 * architecture as comma-separated filters per level ({@code 32,32}). The first {@code IMAGES}
 * images of the file are used.
 */
public final class ArchitectureGrid {

  private static final int SCORE_BATCH = 32;
  private static final double SCORE_SECONDS = 2;

  private ArchitectureGrid() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    int epochs = Integer.parseInt(args[3]);
    int batch = Integer.parseInt(args[4]);
    ImageBatch images;
    try (IdxImageReader reader = Idx.openImages(Path.of(args[0]))) { // the first IMAGES only, however large the file
      if (reader.count() < count) {
        throw new IllegalArgumentException("IMAGES must be at most the file's " + reader.count() + " images, but was "
            + count);
      }
      images = reader.next(count);
    }
    for (int a = 5; a < args.length; a++) {
      int[] filters = Arrays.stream(args[a].split(",")).mapToInt(Integer::parseInt).toArray();
      ObjectNode line = measure(images, filters, epochs, batch);
      line.put("file", args[0]);
      Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      System.err.println(line);
    }
  }

  private static ObjectNode measure(ImageBatch images, int[] filters, int epochs, int batch) throws Exception {
    ImageShape shape = images.shape();
    Dl4jArchitecture architecture = Dl4jArchitecture.builder(shape).filters(filters).build();
    long start = System.nanoTime();
    Dl4jTrainer.Result trained = Dl4jTrainer.builder(architecture).epochs(epochs).batchSize(batch).seed(42)
        .validationFraction(0.1).patience(epochs).optimizer(Dl4jTrainer.Optimizer.ADAM).build().train(images);
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    ObjectNode line = new ObjectMapper().createObjectNode();
    int factor = 1 << filters.length;
    line.put("shape", shape.toString()).put("filters", Arrays.toString(filters)).put("depth", filters.length)
        .put("latentValues", (long) filters[filters.length - 1] * (shape.height() / factor) * (shape.width() / factor))
        .put("pixels", shape.size()).put("images", images.size()).put("epochs", epochs).put("batchSize", batch)
        .put("trainingSeconds", trainSeconds);
    ArrayNode history = line.putArray("history");
    for (Dl4jTrainer.EpochStats e : trained.history()) {
      history.addObject().put("epoch", e.epoch()).put("trainingLoss", e.trainingLoss())
          .put("validationBce", e.validationError()).put("imagesPerSecond", e.imagesPerSecond());
    }
    Dl4jTrainer.EpochStats last = trained.history().get(trained.history().size() - 1);
    line.put("validationBce", last.validationError()).put("trainingImagesPerSecond", last.imagesPerSecond());
    ImageBatch validation = trained.validationImages();
    ImageBatch small = validation.slice(0, Math.min(SCORE_BATCH, validation.size()));
    Timing timing = new Timing(SCORE_SECONDS);
    Path model = Files.createTempFile("grid-model", ".zip");
    try (Dl4jAutoencoder fresh = trained.autoencoder()) {
      line.put("backend", fresh.info().training().backend());
      fresh.save(model);
    }
    // scored as drift4j check scores: the saved model loaded, and its ONNX export
    try (Dl4jAutoencoder dl4j = Dl4jAutoencoder.load(model)) {
      line.put("dl4jScoringImagesPerSecond", timing.rate(() -> dl4j.reconstruct(small), small.size()));
      try (OnnxAutoencoder onnx = OnnxAutoencoder.fromBytes(Dl4jOnnxExporter.export(dl4j),
          OnnxConfig.custom().build())) {
        line.put("onnxScoringImagesPerSecond", timing.rate(() -> onnx.reconstruct(small), small.size()));
      }
    } finally {
      Files.delete(model);
    }
    return line;
  }
}
