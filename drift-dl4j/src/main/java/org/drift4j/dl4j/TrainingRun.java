package org.drift4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.internal.ChunkSizes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One {@link Dl4jTrainer#train} run: the network, the epoch loop, early stopping and the best
 * weights seen. Minibatches step through a {@link Dl4jTrainingPlan} when the network has one that
 * agrees with DL4J ({@link TrainingPlanCheck}), otherwise through DL4J's {@code fit}; either way
 * the network's own parameters and iteration count move. Not thread-safe; used by one call, and
 * closed after it (which stops the plan's threads).
 */
final class TrainingRun implements AutoCloseable {

  private final Dl4jTrainer trainer;
  private final Dl4jArchitecture architecture;
  private final ImageBatch training;
  private final ImageBatch validation;
  /** The validation images as the network sees them (noisy in denoising mode). */
  private final ImageBatch validationInputs;
  private final MultiLayerNetwork net;
  private final ReconstructionError measure;
  /** Null when DL4J's fit steps. */
  private final Dl4jTrainingPlan plan;
  /** Validation images per pass, within the default chunk budget. */
  private final int validationChunk;
  private final List<Dl4jTrainer.EpochStats> history = new ArrayList<>();
  private INDArray bestParams;
  private double bestError = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private int epochsRun;

  TrainingRun(Dl4jTrainer trainer, TrainingSplit split) {
    this.trainer = trainer;
    this.architecture = trainer.architecture();
    this.training = split.training();
    this.validation = split.validation();
    this.validationInputs = validation == null || trainer.denoiseFactor() == 0 ? validation
        : GaussianNoise.add(validation, trainer.denoiseFactor(), new SplittableRandom(trainer.seed() ^ 0x5EEDL));
    this.net = new MultiLayerNetwork(architecture.toConfiguration(trainer.updater(), trainer.seed(),
        Dl4jTrainer.TRAINING_FORMAT));
    net.init();
    OneDnnHelpers.install(net);
    this.plan = !trainer.trainingPlan() ? null : TrainingPlanCheck.choose(net, architecture.inputShape(),
        Math.max(1, Runtime.getRuntime().availableProcessors())).orElse(null);
    this.validationChunk = ChunkSizes.images(Dl4jConfig.DEFAULT_MAX_CHUNK_BYTES,
        Networks.bytesPerImage(net, architecture.inputShape(), Dl4jTrainer.TRAINING_FORMAT),
        Dl4jConfig.DEFAULT_MAX_CHUNK_IMAGES, "the validation chunk budget", architecture.inputShape());
    this.measure = architecture.loss() == Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY
        ? ReconstructionError.BINARY_CROSS_ENTROPY : ReconstructionError.MEAN_SQUARED_ERROR;
  }

  /** Runs the epochs, stopping early once the validation error has not improved for the patience. */
  void fit() {
    for (int epoch = 1; epoch <= trainer.epochs(); epoch++) {
      epochsRun = epoch;
      long start = System.nanoTime();
      double loss = epoch(epoch, start);
      double imagesPerSecond = training.size() / ((System.nanoTime() - start) / 1e9);
      double validationError = validation == null ? Double.NaN : meanValidationError();
      boolean best = validation == null || validationError < bestError;
      if (best) {
        bestError = validation == null ? Double.NaN : validationError;
        bestParams = net.params().dup();
        bestEpoch = epoch;
      }
      history.add(new Dl4jTrainer.EpochStats(epoch, loss, validationError, imagesPerSecond));
      trainer.listener().onEpoch(epoch, loss, validationError, best);
      if (validation != null && epoch - bestEpoch >= trainer.patience()) {
        break;
      }
    }
  }

  /** One pass over the shuffled training images; returns the mean minibatch loss per pixel. */
  private double epoch(int epoch, long start) {
    int batchSize = trainer.batchSize();
    int batches = (training.size() + batchSize - 1) / batchSize;
    SplittableRandom epochRandom = new SplittableRandom(trainer.seed() * 31 + epoch);
    int[] shuffle = TrainingSplit.permutation(training.size(), epochRandom);
    double lossSum = 0;
    for (int b = 0; b < batches; b++) {
      int from = b * batchSize;
      int to = Math.min(training.size(), from + batchSize);
      ImageBatch clean = training.select(Arrays.copyOfRange(shuffle, from, to));
      ImageBatch input = trainer.denoiseFactor() > 0 ? GaussianNoise.add(clean, trainer.denoiseFactor(), epochRandom)
          : clean;
      double score;
      if (plan != null) {
        int iteration = net.getIterationCount();
        score = plan.fit(input.toFlatArray(), clean.toFlatArray(), to - from, iteration, net.getEpochCount());
        // the counts DL4J's fit leaves: its layers hold the count before the step, the network the one after
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
          layer.setIterationCount(iteration);
        }
        net.setIterationCount(iteration + 1);
      } else {
        net.fit(new DataSet(Networks.toArray(input, Dl4jTrainer.TRAINING_FORMAT),
            Networks.toArray(clean, Dl4jTrainer.TRAINING_FORMAT)));
        score = net.score();
      }
      double loss = score / architecture.inputShape().size();
      lossSum += loss;
      double seconds = (System.nanoTime() - start) / 1e9;
      trainer.listener().onBatch(epoch, b + 1, batches, loss, (b * (double) batchSize + (to - from)) / seconds);
    }
    return lossSum / batches;
  }

  private double meanValidationError() {
    int n = validation.shape().size();
    int chunk = validationChunk;
    double sum = 0;
    for (int from = 0; from < validationInputs.size(); from += chunk) {
      int to = Math.min(validationInputs.size(), from + chunk);
      INDArray out = net.output(Networks.toArray(validationInputs.slice(from, to), Dl4jTrainer.TRAINING_FORMAT), false);
      float[][] rows = Networks.toRows(out, Dl4jTrainer.TRAINING_FORMAT, to - from, n);
      for (int i = 0; i < rows.length; i++) {
        sum += measure.of(validation.image(from + i), rows[i]);
      }
    }
    return sum / validationInputs.size();
  }

  /** The best epoch's weights in a network of the architecture's inference layout. */
  MultiLayerNetwork bestNetwork() {
    MultiLayerNetwork trained = net;
    CNN2DFormat inference = architecture.inferenceFormat();
    if (inference != Dl4jTrainer.TRAINING_FORMAT) {
      trained = new MultiLayerNetwork(architecture.toConfiguration(trainer.updater(), trainer.seed(), inference));
      trained.init();
    }
    trained.setParams(bestParams);
    return trained;
  }

  /** Whether minibatches step through the op plan rather than DL4J's fit. */
  boolean usesTrainingPlan() {
    return plan != null;
  }

  /** How many lanes share a minibatch (1 through DL4J). */
  int lanes() {
    return plan == null ? 1 : plan.lanes();
  }

  /** Stops the plan's helper threads. Idempotent. */
  @Override
  public void close() {
    if (plan != null) {
      plan.close();
    }
  }

  /** The network being trained, for tests. */
  MultiLayerNetwork network() {
    return net;
  }

  List<Dl4jTrainer.EpochStats> history() {
    return List.copyOf(history);
  }

  int epochsRun() {
    return epochsRun;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  double bestError() {
    return bestError;
  }
}
