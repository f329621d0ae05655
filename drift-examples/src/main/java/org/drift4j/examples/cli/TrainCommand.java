package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.ImageShape;
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

/**
 * {@code train}: trains the default autoencoder for the images' size (or {@code --filters}) and
 * writes the model and its baseline into a folder.
 */
@Command(name = "train", description = "Train the default autoencoder for the images' size (or --filters), baseline it"
    + " on the validation split, write both into DIR.")
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

  @Option(names = "--filters", split = ",", paramLabel = "F[,F...]", description = "filters per encoder level,"
      + " outermost first; their count is the depth (default: the measured default for the images' size,"
      + " docs/performance.md)")
  int[] filters;

  /** The most encoder levels {@code --filters} may give. */
  static final int MAX_LEVELS = 8;
  /** The most filters {@code --filters} may give one level. */
  static final int MAX_FILTERS = 1024;

  static final String TRAINING_FILE = "training.json";

  /** The baseline's least number of validation errors. */
  private static final int MIN_VALIDATION_IMAGES = 2;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    Progress progress = Progress.stderr();
    LabeledImages data = ImageSources.load(images, labels, null);
    long validationImages = Math.round(validationFraction * data.size());
    if (validationImages < MIN_VALIDATION_IMAGES || validationImages >= data.size()) {
      throw new IllegalArgumentException("--validation-fraction " + validationFraction + " of " + data.size()
          + " images gives " + validationImages + " validation and " + (data.size() - validationImages)
          + " training images; the baseline needs at least " + MIN_VALIDATION_IMAGES
          + " validation images and training at least 1: use more images or another --validation-fraction");
    }
    Dl4jArchitecture architecture = architecture(data.images().shape(), filters);
    ModelFolderLock lock = ModelFolderLock.acquire(out, MODEL_FILE, BASELINE_FILE, ModelInputs.ONNX_FILE,
        OnnxVerification.pathFor(out.resolve(ModelInputs.ONNX_FILE)).getFileName().toString(), TRAINING_FILE);
    try {
      ModelFolder.recover(out);
      progress.say("Training " + java.util.Arrays.toString(architecture.filters()) + " filters per level on "
          + data.size() + " images of " + data.images().shape() + " from " + data.source());
      return train(architecture, data, progress);
    } finally {
      lock.close();
    }
  }

  /** Refuses bad options before any file is read, in the command's terms. */
  private void checkOptions() {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out must be a folder (it is created if missing), but " + out
          + " is a file");
    }
    if (labels != null && Files.isDirectory(labels)) {
      throw new IllegalArgumentException("--labels must be an IDX label file, but " + labels + " is a folder");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, but was " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, but was " + batchSize);
    }
    if (filters != null) {
      if (filters.length == 0 || filters.length > MAX_LEVELS) {
        throw new IllegalArgumentException("--filters must give 1 to " + MAX_LEVELS + " levels, but gave "
            + filters.length);
      }
      for (int f : filters) {
        if (f < 1 || f > MAX_FILTERS) {
          throw new IllegalArgumentException("--filters values must be between 1 and " + MAX_FILTERS + ", but "
              + join(filters) + " holds " + f);
        }
      }
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("--validation-fraction must be greater than 0 (the baseline is computed on"
          + " the validation images) and less than 1, but was " + validationFraction);
    }
  }

  /**
   * The architecture for images of {@code shape}: {@code filters}, or (null) the measured default
   * for the size; a shape the levels do not divide is refused in the command's terms.
   */
  static Dl4jArchitecture architecture(ImageShape shape, int[] filters) {
    int levels = filters == null ? 2 : filters.length;
    int factor = 1 << levels;
    if (shape.height() % factor != 0 || shape.width() % factor != 0) {
      throw new IllegalArgumentException(filters == null
          ? "images of " + shape.height() + "x" + shape.width() + " do not fit the default architecture: its pooling"
              + " levels need height and width divisible by 4; crop or pad the images, or give --filters with one"
              + " level (--filters 32) for sides divisible by 2"
          : "--filters " + join(filters) + " gives " + levels + " pooling levels, which need height and width"
              + " divisible by " + factor + " (2^" + levels + "), but the images are " + shape.height() + "x"
              + shape.width() + "; give fewer levels or crop or pad the images");
    }
    return filters == null ? Dl4jArchitecture.defaultFor(shape)
        : Dl4jArchitecture.builder(shape).filters(filters).build();
  }

  private static String join(int[] values) {
    return java.util.Arrays.stream(values).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
  }

  private int train(Dl4jArchitecture architecture, LabeledImages data, Progress progress) throws Exception {
    Dl4jTrainer.Result result = Dl4jTrainer.builder(architecture)
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
    Path stage = ModelFolder.stage(out);
    result.autoencoder().save(stage.resolve(MODEL_FILE));
    BaselineStore.write(baseline, stage.resolve(BASELINE_FILE));
    Path onnx = stage.resolve(ModelInputs.ONNX_FILE);
    org.drift4j.internal.AtomicFiles.write(onnx, Dl4jOnnxExporter.export(result.autoencoder()));
    try (OnnxAutoencoder exported = OnnxAutoencoder.load(onnx)) {
      OnnxVerification v = OnnxVerification.compare(result.autoencoder(), exported, result.validationImages(),
          OnnxVerification.DEFAULT_TOLERANCE);
      if (v.passed()) {
        v.withSourceFile(stage.resolve(MODEL_FILE)).writeFor(onnx);
      }
      progress.say(String.format(Locale.ROOT, "ONNX export %s: largest difference from DL4J %.2g on %d validation images (%s)",
          out.resolve(ModelInputs.ONNX_FILE), v.maxAbsDifference(), v.images(), v.passed() ? "verified" : "NOT verified; check uses DL4J"));
      if (!v.passed()) {
        Files.delete(onnx);
      }
    }
    org.drift4j.internal.AtomicFiles.write(stage.resolve(TRAINING_FILE),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(result.history()));
    ModelFolder.commit(out, List.of(MODEL_FILE, BASELINE_FILE,
        OnnxVerification.pathFor(out.resolve(ModelInputs.ONNX_FILE)).getFileName().toString(), ModelInputs.ONNX_FILE,
        TRAINING_FILE));
    progress.say(String.format(Locale.ROOT, "Wrote %s and %s (baseline of %d images, mean error %.5f)",
        out.resolve(MODEL_FILE), out.resolve(BASELINE_FILE), baseline.count(), baseline.mean()));
    return 0;
  }
}
