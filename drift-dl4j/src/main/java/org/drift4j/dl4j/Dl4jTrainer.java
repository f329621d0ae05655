package org.drift4j.dl4j;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
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
  private final boolean trainingPlan;

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
    this.trainingPlan = b.trainingPlan;
  }

  /**
   * A builder of trainers for {@code architecture}.
   *
   * @param architecture the network to train
   * @return a new builder
   */
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
   * @param images the training images, of the architecture's shape
   * @return the trained model, the split and the epochs' figures
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
    TrainingSplit split = TrainingSplit.of(images, validationFraction, seed);
    String backend = Dl4jBackend.describe();
    MultiLayerNetwork trained;
    TrainingRun run = new TrainingRun(this, split);
    try (run) {
      backend += run.usesTrainingPlan() ? ", trained as native ops on " + run.lanes() + " lanes" : ", trained by DL4J";
      run.fit();
      trained = run.bestNetwork();
    }
    Dl4jModelInfo.TrainingRecord record = new Dl4jModelInfo.TrainingRecord(architecture.toString(), optimizer.name(),
        optimizer == Optimizer.ADAM ? learningRate : Double.NaN, epochs, run.epochsRun(), run.bestEpoch(), batchSize,
        seed, validationFraction, denoiseFactor, split.training().size(),
        split.validation() == null ? 0 : split.validation().size(), dataSource, run.bestError(), backend);
    Dl4jAutoencoder autoencoder = Dl4jAutoencoder.trained(trained, architecture, record, clock);
    return new Result(autoencoder, split.training(), split.validation(), run.history());
  }

  Dl4jArchitecture architecture() {
    return architecture;
  }

  int epochs() {
    return epochs;
  }

  int batchSize() {
    return batchSize;
  }

  long seed() {
    return seed;
  }

  int patience() {
    return patience;
  }

  double denoiseFactor() {
    return denoiseFactor;
  }

  TrainingListener listener() {
    return listener;
  }

  /** Whether a run may step through the op plan (false: always DL4J's fit, for comparisons). */
  boolean trainingPlan() {
    return trainingPlan;
  }

  IUpdater updater() {
    return optimizer == Optimizer.ADAM ? new Adam(learningRate) : new AdaDelta();
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
    private boolean trainingPlan = true;

    private Builder(Dl4jArchitecture architecture) {
      this.architecture = Objects.requireNonNull(architecture, "architecture");
    }

    /**
     * The most epochs to run (fewer with early stopping); default {@value #DEFAULT_EPOCHS}.
     *
     * @param epochs the number of epochs
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder epochs(int epochs) {
      this.epochs = Checks.atLeast("epochs", epochs, 1);
      return this;
    }

    /**
     * Images per minibatch; default {@value #DEFAULT_BATCH_SIZE}.
     *
     * @param batchSize the minibatch size
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = Checks.atLeast("batchSize", batchSize, 1);
      return this;
    }

    /**
     * The optimiser; default {@link Optimizer#ADADELTA} as in the reference.
     *
     * @param optimizer the optimiser
     * @return this builder
     */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * Adam's learning rate; default {@value #DEFAULT_LEARNING_RATE}.
     *
     * @param learningRate the learning rate
     * @return this builder
     * @throws IllegalArgumentException if not a finite value greater than 0
     */
    public Builder learningRate(double learningRate) {
      this.learningRate = Checks.positiveFinite("learningRate", learningRate);
      this.learningRateSet = true;
      return this;
    }

    /**
     * The seed of initialisation, split, shuffles and noise; default {@value #DEFAULT_SEED}.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Share of images held out for validation and early stopping, in [0, 1); 0 trains on all and
     * runs every epoch; default {@value #DEFAULT_VALIDATION_FRACTION}.
     *
     * @param fraction the share held out
     * @return this builder
     * @throws IllegalArgumentException if outside [0, 1)
     */
    public Builder validationFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("validationFraction must be in [0, 1), but was " + fraction);
      }
      this.validationFraction = fraction;
      return this;
    }

    /**
     * Epochs without a better validation error after which training stops; default
     * {@value #DEFAULT_PATIENCE}.
     *
     * @param epochs the patience
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder patience(int epochs) {
      this.patience = Checks.atLeast("patience", epochs, 1);
      return this;
    }

    /**
     * Denoising mode: inputs get Gaussian noise of this factor (clipped to [0, 1]) and the network
     * learns to rebuild the clean image. 0 (default) trains a plain autoencoder.
     *
     * @param factor the noise's standard deviation
     * @return this builder
     * @throws IllegalArgumentException if negative or not finite
     */
    public Builder denoise(double factor) {
      this.denoiseFactor = Checks.nonNegativeFinite("denoise factor", factor);
      return this;
    }

    /**
     * A description of the training data, recorded in the model's provenance.
     *
     * @param dataSource the description
     * @return this builder
     */
    public Builder dataSource(String dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The progress listener; default: none.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(TrainingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The clock stamping the model; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether minibatches may step through the native op plan (default true): the network's
     * training step as libnd4j ops, used when its gradient agrees with DL4J's on a probe batch.
     * {@code false} always trains through DL4J's {@code fit}, for comparisons.
     *
     * @param allowed whether the plan may be used
     * @return this builder
     */
    public Builder trainingPlan(boolean allowed) {
      this.trainingPlan = allowed;
      return this;
    }

    /**
     * Builds the trainer.
     *
     * @return the trainer
     * @throws IllegalStateException if a learning rate was set for Adadelta, which has none
     */
    public Dl4jTrainer build() {
      if (learningRateSet && optimizer == Optimizer.ADADELTA) {
        throw new IllegalStateException("learningRate applies to ADAM only; ADADELTA adapts its own step size");
      }
      return new Dl4jTrainer(this);
    }
  }
}
