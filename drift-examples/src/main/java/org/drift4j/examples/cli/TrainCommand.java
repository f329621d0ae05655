package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxVerification;
import org.drift4j.dl4j.TrainingListener;
import org.drift4j.examples.data.ImageSources;
import org.drift4j.examples.data.LabeledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: trains the default autoencoder and writes the model and its baseline into a folder. */
@Command(name = "train", description = "Train the reference autoencoder, baseline it on the validation split, write both into DIR.")
final class TrainCommand implements Callable<Integer> {

  static final String MODEL_FILE = "model.zip";
  static final String BASELINE_FILE = "baseline.json";

  @Option(names = "--images", required = true, paramLabel = "PATH", description = "IDX image file (raw or .gz) or image folder")
  Path images;

  @Option(names = "--labels", paramLabel = "PATH", description = "IDX label file (recorded, not needed)")
  Path labels;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(names = "--epochs", defaultValue = "10", paramLabel = "N")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N")
  int batchSize;

  @Option(names = "--validation-fraction", defaultValue = "0.1", paramLabel = "F")
  double validationFraction;

  @Option(names = "--denoise", defaultValue = "0", paramLabel = "FACTOR", description = "train a denoising autoencoder")
  double denoise;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S")
  long seed;

  @Override
  public Integer call() throws Exception {
    Progress progress = Progress.stderr();
    LabeledImages data = ImageSources.load(images, labels, null);
    progress.say("Training on " + data.size() + " images from " + data.source());
    if (validationFraction <= 0) {
      throw new IllegalArgumentException("--validation-fraction must be greater than 0 (the baseline needs"
          + " validation images), but was " + validationFraction);
    }
    Dl4jTrainer.Result result = Dl4jTrainer.builder(Dl4jArchitecture.reference(data.images().shape()))
        .epochs(epochs).batchSize(batchSize).validationFraction(validationFraction).denoise(denoise).seed(seed)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).dataSource(data.source())
        .listener(new TrainingListener() {
          @Override
          public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
            progress.update("epoch " + epoch + "/" + epochs, batch, batches,
                String.format(Locale.ROOT, "loss %.4f, %.0f img/s", loss, imagesPerSecond));
          }

          @Override
          public void onEpoch(int epoch, double trainingLoss, double validationError, boolean best) {
            progress.say(String.format(Locale.ROOT, "epoch %d: validation error %.5f%s", epoch, validationError,
                best ? " (best)" : ""));
          }
        })
        .build().train(data.images());
    Baseline baseline = Baseline.compute(result.autoencoder(), result.validationImages(),
        result.autoencoder().errorMeasure());
    result.autoencoder().save(out.resolve(MODEL_FILE));
    BaselineStore.write(baseline, out.resolve(BASELINE_FILE));
    Path onnx = out.resolve(ModelInputs.ONNX_FILE);
    org.drift4j.internal.AtomicFiles.write(onnx, Dl4jOnnxExporter.export(result.autoencoder()));
    try (OnnxAutoencoder exported = OnnxAutoencoder.load(onnx)) {
      OnnxVerification v = OnnxVerification.compare(result.autoencoder(), exported, result.validationImages(),
          OnnxVerification.DEFAULT_TOLERANCE);
      if (v.passed()) {
        v.writeFor(onnx);
      }
      progress.say(String.format(Locale.ROOT, "ONNX export %s: largest difference from DL4J %.2g on %d validation images (%s)",
          onnx, v.maxAbsDifference(), v.images(), v.passed() ? "verified" : "NOT verified; check uses DL4J"));
      if (!v.passed()) {
        java.nio.file.Files.delete(onnx);
      }
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("training.json").toFile(), result.history());
    progress.say(String.format(Locale.ROOT, "Wrote %s and %s (baseline of %d images, mean error %.5f)",
        out.resolve(MODEL_FILE), out.resolve(BASELINE_FILE), baseline.count(), baseline.mean()));
    return 0;
  }
}
