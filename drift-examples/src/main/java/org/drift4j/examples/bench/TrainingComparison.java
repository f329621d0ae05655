package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jBackend;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.examples.data.Idx;

/**
 * Training through DL4J's {@code fit} against the native op plan, paired: each repetition trains
 * the reference autoencoder both ways from the same seed on the same MNIST images, in alternating
 * order, and scores both on held-out images that neither saw. Writes JSON.
 *
 * <p>Arguments: {@code MNIST_IDX OUT_JSON [REPETITIONS [TRAINING_IMAGES [EPOCHS [OPTIMIZER]]]]};
 * defaults 5, 10,000, 2, ADADELTA. Images {@code 0..TRAINING_IMAGES} are split 9:1 for training
 * and validation; the last 2,000 of the file are the held-out test images.
 */
public final class TrainingComparison {

  private static final int TEST_IMAGES = 2000;

  private TrainingComparison() {}

  public static void main(String[] args) throws Exception {
    Path mnist = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int count = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    Dl4jTrainer.Optimizer optimizer = args.length > 5 ? Dl4jTrainer.Optimizer.valueOf(args[5])
        : Dl4jTrainer.Optimizer.ADADELTA;
    ImageBatch all = Idx.readImages(mnist);
    if (all.size() < count + TEST_IMAGES) {
      throw new IllegalArgumentException("the MNIST file must hold at least " + (count + TEST_IMAGES)
          + " images, but held " + all.size());
    }
    ImageBatch images = all.slice(0, count);
    ImageBatch test = all.slice(all.size() - TEST_IMAGES, all.size());

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode result = json.createObjectNode();
    result.put("date", Instant.now().toString());
    result.put("backend", Dl4jBackend.describe());
    result.put("processors", Runtime.getRuntime().availableProcessors());
    result.put("images", count);
    result.put("testImages", TEST_IMAGES);
    result.put("epochs", epochs);
    result.put("batchSize", Dl4jTrainer.DEFAULT_BATCH_SIZE);
    result.put("optimizer", optimizer.name());
    System.err.println("warm-up: one epoch of 1,024 images each way...");
    train(images.slice(0, 1024), 1, optimizer, 1, true, test);
    train(images.slice(0, 1024), 1, optimizer, 1, false, test);

    ArrayNode runs = result.putArray("repetitions");
    double[] ratios = new double[repetitions];
    double[] lossDiff = new double[repetitions];
    double[] testDiff = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      long seed = 100L + r;
      boolean planFirst = r % 2 == 0;
      ObjectNode first = train(images, epochs, optimizer, seed, planFirst, test);
      ObjectNode second = train(images, epochs, optimizer, seed, !planFirst, test);
      ObjectNode plan = planFirst ? first : second;
      ObjectNode fit = planFirst ? second : first;
      ObjectNode run = runs.addObject();
      run.put("seed", seed);
      run.put("first", planFirst ? "plan" : "fit");
      run.set("plan", plan);
      run.set("fit", fit);
      ratios[r] = plan.get("imagesPerSecond").asDouble() / fit.get("imagesPerSecond").asDouble();
      lossDiff[r] = plan.get("finalTrainingLoss").asDouble() - fit.get("finalTrainingLoss").asDouble();
      testDiff[r] = plan.get("testMeanBce").asDouble() / fit.get("testMeanBce").asDouble() - 1;
      run.put("speedRatio", ratios[r]);
      System.err.printf("rep %d: plan %.0f images/s, fit %.0f images/s (%.2fx); test BCE %.5f vs %.5f%n", r + 1,
          plan.get("imagesPerSecond").asDouble(), fit.get("imagesPerSecond").asDouble(), ratios[r],
          plan.get("testMeanBce").asDouble(), fit.get("testMeanBce").asDouble());
    }
    result.set("speedRatio", summary(json, ratios));
    result.set("finalTrainingLossDifference", summary(json, lossDiff));
    result.set("testMeanBceRelativeDifference", summary(json, testDiff));
    Files.createDirectories(out.toAbsolutePath().getParent());
    json.writeValue(out.toFile(), result);
    System.out.println(json.writeValueAsString(result.without("repetitions")));
  }

  /** Trains once and returns its rate (training time only), losses and held-out error. */
  private static ObjectNode train(ImageBatch images, int epochs, Dl4jTrainer.Optimizer optimizer, long seed,
      boolean plan, ImageBatch test) {
    Dl4jTrainer trainer = Dl4jTrainer.builder(Dl4jArchitecture.reference(images.shape())).epochs(epochs)
        .optimizer(optimizer).seed(seed).validationFraction(0.1).trainingPlan(plan).build();
    Dl4jTrainer.Result trained = trainer.train(images);
    ObjectNode node = new ObjectMapper().createObjectNode();
    try (Dl4jAutoencoder ae = trained.autoencoder()) {
      double seconds = 0;
      ArrayNode epochNodes = node.putArray("epochs");
      for (Dl4jTrainer.EpochStats e : trained.history()) {
        seconds += trained.trainingImages().size() / e.imagesPerSecond();
        epochNodes.addObject().put("epoch", e.epoch()).put("trainingLoss", e.trainingLoss())
            .put("validationError", e.validationError()).put("imagesPerSecond", e.imagesPerSecond());
      }
      Dl4jTrainer.EpochStats last = trained.history().get(trained.history().size() - 1);
      node.put("backend", ae.info().training().backend());
      node.put("imagesPerSecond", trained.trainingImages().size() * trained.history().size() / seconds);
      node.put("finalTrainingLoss", last.trainingLoss());
      node.put("finalValidationBce", last.validationError());
      node.put("testMeanBce", Arrays.stream(ae.errors(test, ReconstructionError.BINARY_CROSS_ENTROPY)).average()
          .orElseThrow());
    }
    return node;
  }

  /** Median, minimum, maximum and mean of {@code values}. */
  static ObjectNode summary(ObjectMapper json, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return json.createObjectNode().put("median", median).put("min", sorted[0]).put("max", sorted[n - 1])
        .put("mean", Arrays.stream(values).average().orElseThrow()).put("n", n);
  }
}
