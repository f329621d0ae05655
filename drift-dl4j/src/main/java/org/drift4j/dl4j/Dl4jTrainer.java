package org.drift4j.dl4j;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Trains the convolutional autoencoder on a user's images.
 *
 * <pre>{@code
 * Dl4jTrainer.Result result = Dl4jTrainer.builder(Dl4jArchitecture.reference(ImageShape.grey(28, 28)))
 *     .epochs(10).batchSize(128).seed(42).validationFraction(0.1)
 *     .build()
 *     .train(trainingImages);
 * result.autoencoder().save(Path.of("model.zip"));
 * Baseline baseline = Baseline.compute(result.autoencoder(), result.validationImages(),
 *     result.autoencoder().errorMeasure());
 * }</pre>
 *
 * <p>The same seed and the same images give the same split, shuffles, noise and initial weights.
 * With a validation split, training stops early once the validation error has not improved for
 * {@link Builder#patience(int)} epochs, and the best epoch's weights are kept.
 *
 * <p>Immutable and thread-safe; each {@link #train} call trains a new network.
 */
public final class Dl4jTrainer {

  /** The optimiser. */
  public enum Optimizer {
    /** Adadelta (rho 0.95, epsilon 1e-6), as in the reference experiment; it has no learning rate. */
    ADADELTA,
    /** Adam with {@link Builder#learningRate(double)}. */
    ADAM
  }

  /** Default number of epochs. */
  public static final int DEFAULT_EPOCHS = 10;
  /** Default minibatch size. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** Default learning rate of Adam. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /** Default seed. */
  public static final long DEFAULT_SEED = 42;
  /** Default share of images held out for validation. */
  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
  /** Default early-stopping patience, in epochs. */
  public static final int DEFAULT_PATIENCE = 3;

  /** The layout networks are trained in (see {@link Dl4jArchitecture}). */
  static final CNN2DFormat TRAINING_FORMAT = CNN2DFormat.NCHW;

  private final Dl4jArchitecture architecture;
  private final int epochs;
  private final int batchSize;
  private final Optimizer optimizer;
  private final double learningRate;
  private final long seed;
  private final double validationFraction;
  private final int patience;
  private final double denoiseFactor;
  private final String dataSource;
  private final TrainingListener listener;
  private final Clock clock;

  private Dl4jTrainer(Builder b) {
    this.architecture = b.architecture;
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.optimizer = b.optimizer;
    this.learningRate = b.learningRate;
    this.seed = b.seed;
    this.validationFraction = b.validationFraction;
    this.patience = b.patience;
    this.denoiseFactor = b.denoiseFactor;
    this.dataSource = b.dataSource;
    this.listener = b.listener;
    this.clock = b.clock;
  }

  /** A builder for {@code architecture}. */
  public static Builder builder(Dl4jArchitecture architecture) {
    return new Builder(architecture);
  }

  /** The outcome of training. */
  public record Result(Dl4jAutoencoder autoencoder, ImageBatch trainingImages, ImageBatch validationImages,
      List<EpochStats> history) {}

  /**
   * One epoch's figures.
   *
   * @param epoch 1-based
   * @param trainingLoss mean minibatch loss
   * @param validationError mean validation error, NaN without validation
   * @param imagesPerSecond training throughput
   */
  public record EpochStats(int epoch, double trainingLoss, double validationError, double imagesPerSecond) {}

  /**
   * Trains a new network on {@code images}.
   *
   * @throws IllegalArgumentException if the images' shape differs from the architecture's, or the
   *     split leaves no training or no validation image
   */
  public Result train(ImageBatch images) {
    Objects.requireNonNull(images, "images");
    ImageShape shape = architecture.inputShape();
    if (!images.shape().equals(shape)) {
      throw new IllegalArgumentException("images shape must be " + shape + " (the architecture's input shape), but was "
          + images.shape());
    }
    String backend = Dl4jBackend.ensureConfigured();
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = permutation(images.size(), random);
    int validationCount = (int) Math.round(validationFraction * images.size());
    if (validationFraction > 0 && validationCount == 0) {
      throw new IllegalArgumentException("validationFraction " + validationFraction + " of " + images.size()
          + " images leaves no validation image; use more images or validationFraction 0");
    }
    if (validationCount >= images.size()) {
      throw new IllegalArgumentException("validationFraction " + validationFraction + " of " + images.size()
          + " images leaves no training image");
    }
    ImageBatch validation = validationCount > 0 ? images.select(java.util.Arrays.copyOfRange(order, 0, validationCount)) : null;
    ImageBatch training = images.select(java.util.Arrays.copyOfRange(order, validationCount, order.length));
    ImageBatch validationInputs = validation == null ? null
        : denoiseFactor > 0 ? validation.withGaussianNoise(denoiseFactor, new SplittableRandom(seed ^ 0x5EEDL)) : validation;

    MultiLayerNetwork net = new MultiLayerNetwork(architecture.toConfiguration(updater(), seed, TRAINING_FORMAT));
    net.init();
    ReconstructionError measure = architecture.loss() == Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY
        ? ReconstructionError.BINARY_CROSS_ENTROPY : ReconstructionError.MEAN_SQUARED_ERROR;
    CNN2DFormat format = TRAINING_FORMAT;
    int batches = (training.size() + batchSize - 1) / batchSize;
    List<EpochStats> history = new ArrayList<>();
    INDArray bestParams = null;
    double bestError = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    int epochsRun = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      epochsRun = epoch;
      SplittableRandom epochRandom = new SplittableRandom(seed * 31 + epoch);
      int[] shuffle = permutation(training.size(), epochRandom);
      long start = System.nanoTime();
      double lossSum = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * batchSize;
        int to = Math.min(training.size(), from + batchSize);
        ImageBatch clean = training.select(java.util.Arrays.copyOfRange(shuffle, from, to));
        ImageBatch input = denoiseFactor > 0 ? clean.withGaussianNoise(denoiseFactor, epochRandom) : clean;
        net.fit(new DataSet(Networks.toArray(input, format), Networks.toArray(clean, format)));
        double loss = net.score() / shape.size();
        lossSum += loss;
        double seconds = (System.nanoTime() - start) / 1e9;
        listener.onBatch(epoch, b + 1, batches, loss, to == 0 ? 0 : (b * (double) batchSize + (to - from)) / seconds);
      }
      double imagesPerSecond = training.size() / ((System.nanoTime() - start) / 1e9);
      double validationError = validation == null ? Double.NaN
          : meanError(net, validationInputs, validation, measure, format);
      boolean best = validation == null || validationError < bestError;
      if (best) {
        bestError = validation == null ? Double.NaN : validationError;
        bestParams = net.params().dup();
        bestEpoch = epoch;
      }
      history.add(new EpochStats(epoch, lossSum / batches, validationError, imagesPerSecond));
      listener.onEpoch(epoch, lossSum / batches, validationError, best);
      if (validation != null && epoch - bestEpoch >= patience) {
        break;
      }
    }
    MultiLayerNetwork trainedNet = net;
    if (architecture.inferenceFormat() != TRAINING_FORMAT) {
      trainedNet = new MultiLayerNetwork(architecture.toConfiguration(updater(), seed, architecture.inferenceFormat()));
      trainedNet.init();
    }
    trainedNet.setParams(bestParams);
    Dl4jModelInfo.TrainingRecord record = new Dl4jModelInfo.TrainingRecord(architecture.toString(), optimizer.name(),
        optimizer == Optimizer.ADAM ? learningRate : Double.NaN, epochs, epochsRun, bestEpoch, batchSize, seed,
        validationFraction, denoiseFactor, training.size(), validation == null ? 0 : validation.size(), dataSource,
        bestError, backend);
    Dl4jAutoencoder autoencoder = Dl4jAutoencoder.trained(trainedNet, architecture, record, clock);
    return new Result(autoencoder, training, validation, List.copyOf(history));
  }

  private IUpdater updater() {
    return optimizer == Optimizer.ADAM ? new Adam(learningRate) : new AdaDelta();
  }

  private static double meanError(MultiLayerNetwork net, ImageBatch inputs, ImageBatch targets, ReconstructionError measure,
      CNN2DFormat format) {
    int n = targets.shape().size();
    double sum = 0;
    for (int from = 0; from < inputs.size(); from += Dl4jAutoencoder.MAX_CHUNK) {
      int to = Math.min(inputs.size(), from + Dl4jAutoencoder.MAX_CHUNK);
      float[][] out = Networks.toRows(net.output(Networks.toArray(inputs.slice(from, to), format), false), format,
          to - from, n);
      for (int i = 0; i < out.length; i++) {
        sum += measure.of(targets.image(from + i), out[i]);
      }
    }
    return sum / inputs.size();
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Builds a trainer; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final Dl4jArchitecture architecture;
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Optimizer optimizer = Optimizer.ADADELTA;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private boolean learningRateSet;
    private long seed = DEFAULT_SEED;
    private double validationFraction = DEFAULT_VALIDATION_FRACTION;
    private int patience = DEFAULT_PATIENCE;
    private double denoiseFactor;
    private String dataSource = "unspecified";
    private TrainingListener listener = new TrainingListener() {};
    private Clock clock = Clock.systemUTC();

    private Builder(Dl4jArchitecture architecture) {
      this.architecture = Objects.requireNonNull(architecture, "architecture");
    }

    /** @throws IllegalArgumentException if below 1 */
    public Builder epochs(int epochs) {
      this.epochs = atLeast("epochs", epochs, 1);
      return this;
    }

    /** @throws IllegalArgumentException if below 1 */
    public Builder batchSize(int batchSize) {
      this.batchSize = atLeast("batchSize", batchSize, 1);
      return this;
    }

    /** The optimiser; default {@link Optimizer#ADADELTA} as in the reference. */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * Adam's learning rate; default {@value #DEFAULT_LEARNING_RATE}.
     *
     * @throws IllegalArgumentException if not a finite value greater than 0
     */
    public Builder learningRate(double learningRate) {
      if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("learningRate must be a finite value greater than 0, but was " + learningRate);
      }
      this.learningRate = learningRate;
      this.learningRateSet = true;
      return this;
    }

    /** The seed of initialisation, split, shuffles and noise; default {@value #DEFAULT_SEED}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Share of images held out for validation and early stopping, in [0, 1); 0 trains on all and
     * runs every epoch.
     *
     * @throws IllegalArgumentException if outside [0, 1)
     */
    public Builder validationFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("validationFraction must be in [0, 1), but was " + fraction);
      }
      this.validationFraction = fraction;
      return this;
    }

    /** @throws IllegalArgumentException if below 1 */
    public Builder patience(int epochs) {
      this.patience = atLeast("patience", epochs, 1);
      return this;
    }

    /**
     * Denoising mode: inputs get Gaussian noise of this factor (clipped to [0, 1]) and the network
     * learns to rebuild the clean image. 0 (default) trains a plain autoencoder.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public Builder denoise(double factor) {
      if (!(factor >= 0 && factor < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("denoise factor must be a finite value of at least 0, but was " + factor);
      }
      this.denoiseFactor = factor;
      return this;
    }

    /** A description of the training data, recorded in the model's provenance. */
    public Builder dataSource(String dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** Progress listener. */
    public Builder listener(TrainingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Clock stamping the model; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the trainer.
     *
     * @throws IllegalStateException if a learning rate was set for Adadelta, which has none
     */
    public Dl4jTrainer build() {
      if (learningRateSet && optimizer == Optimizer.ADADELTA) {
        throw new IllegalStateException("learningRate applies to ADAM only; ADADELTA adapts its own step size");
      }
      return new Dl4jTrainer(this);
    }

    private static int atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", but was " + value);
      }
      return value;
    }
  }
}
