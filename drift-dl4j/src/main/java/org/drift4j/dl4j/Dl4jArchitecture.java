package org.drift4j.dl4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.weights.WeightInit;
import org.drift4j.ImageShape;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The convolutional autoencoder's architecture. The default is the reference one: encoder
 * Conv(32, 3×3, same, ReLU) → MaxPool 2×2 → Conv(32, 3×3, same, ReLU) → MaxPool 2×2; decoder
 * Conv(32) → Upsample 2 → Conv(32) → Upsample 2 → Conv(channels, 3×3, same, sigmoid); binary
 * cross-entropy loss. {@link Builder#filters(int...)} sets one encoder level per value (the decoder
 * mirrors it), so its length is the depth; height and width must be divisible by 2^depth.
 * {@link #defaultFor(ImageShape)} gives the measured default for an image size (28×28 grey: the
 * reference).
 *
 * <p>Training always runs in the NCHW layout: DL4J 1.0.0-M2.1 computes wrong gradients for this
 * network in NHWC with its oneDNN helpers (measured: one Adam step moves parameters by up to
 * twice the learning rate apart from NCHW's). Inference runs in {@link #inferenceFormat()}, NHWC
 * by default, which gives identical outputs and is faster with oneDNN.
 *
 * <p>Immutable and thread-safe.
 */
public final class Dl4jArchitecture {

  /** Training loss of the network. */
  public enum Loss {
    /** Per-pixel binary cross-entropy on the sigmoid output (the reference). */
    BINARY_CROSS_ENTROPY,
    /** Per-pixel squared error on the sigmoid output. */
    MEAN_SQUARED_ERROR
  }

  /** Default filters per encoder level: the reference's two levels of 32. */
  public static final List<Integer> DEFAULT_FILTERS = List.of(32, 32);

  /**
   * The measured defaults per image size ({@link #defaultFor}), keyed by shape: chosen by
   * validation error and training and scoring speed on a grid of depths and filters (the table
   * and its measurement are in docs/performance.md, "Architecture defaults per image size").
   */
  public static final Map<ImageShape, List<Integer>> DEFAULT_FILTERS_BY_SHAPE = Map.of(
      ImageShape.grey(28, 28), DEFAULT_FILTERS,
      new ImageShape(3, 32, 32), List.of(32, 32),
      new ImageShape(3, 64, 64), List.of(32, 32),
      ImageShape.grey(128, 128), List.of(32, 32),
      new ImageShape(3, 128, 128), List.of(32, 32));

  /** The fewest encoder levels {@link #defaultFor} gives: the reference's two. */
  static final int MIN_DEFAULT_DEPTH = 2;

  private final ImageShape inputShape;
  private final int[] filters;
  private final Loss loss;
  private final CNN2DFormat inferenceFormat;

  private Dl4jArchitecture(Builder b) {
    this.inputShape = b.inputShape;
    this.filters = b.filters.clone();
    this.loss = b.loss;
    this.inferenceFormat = b.inferenceFormat;
  }

  /**
   * The reference architecture for {@code inputShape}.
   *
   * @param inputShape the images' shape; height and width divisible by 4
   * @return the architecture
   * @throws IllegalArgumentException if the shape does not fit two pooling levels
   */
  public static Dl4jArchitecture reference(ImageShape inputShape) {
    return builder(inputShape).build();
  }

  /**
   * The default architecture for images of {@code inputShape}: the filters of
   * {@link #DEFAULT_FILTERS_BY_SHAPE} for a listed shape (28×28 grey keeps the reference's
   * {@link #DEFAULT_FILTERS}). Any other shape takes the filters of the listed shape with as many
   * channels (1 or 3; other channel counts: colour's) whose side is nearest on a log scale
   * (geometric mean of height and width), with levels dropped from the innermost until height and
   * width are divisible by 2^depth; at least {@value #MIN_DEFAULT_DEPTH} levels must remain.
   *
   * <pre>{@code
   * Dl4jArchitecture a = Dl4jArchitecture.defaultFor(new ImageShape(3, 64, 64));
   * Dl4jTrainer.builder(a).optimizer(Dl4jTrainer.Optimizer.ADAM).build().train(images);
   * }</pre>
   *
   * @param inputShape the images' shape
   * @return the architecture, other settings as {@link #builder}'s defaults
   * @throws IllegalArgumentException if height or width is not divisible by 4 (two pooling
   *     levels); crop or pad the images, or choose filters with {@link Builder#filters(int...)}
   */
  public static Dl4jArchitecture defaultFor(ImageShape inputShape) {
    return builder(inputShape).filters(defaultFilters(inputShape)).build();
  }

  /**
   * The filters per encoder level {@link #defaultFor} gives {@code inputShape}.
   *
   * @param inputShape the images' shape
   * @return the filters, outermost level first (a new array)
   * @throws IllegalArgumentException if height or width is not divisible by 4
   */
  public static int[] defaultFilters(ImageShape inputShape) {
    return defaultFilters(inputShape, DEFAULT_FILTERS_BY_SHAPE);
  }

  /** {@link #defaultFilters(ImageShape)} from {@code table} (grey and colour entries). */
  static int[] defaultFilters(ImageShape inputShape, Map<ImageShape, List<Integer>> table) {
    Objects.requireNonNull(inputShape, "inputShape");
    List<Integer> listed = table.get(inputShape);
    if (listed == null) {
      listed = nearestListed(inputShape, table);
    }
    int depth = listed.size();
    while (depth >= MIN_DEFAULT_DEPTH && !divisible(inputShape, depth)) {
      depth--;
    }
    if (depth < MIN_DEFAULT_DEPTH) {
      throw new IllegalArgumentException("inputShape height and width must be divisible by 4 for the default"
          + " architecture (at least " + MIN_DEFAULT_DEPTH + " pooling levels), but was " + inputShape.height() + "x"
          + inputShape.width() + "; crop or pad the images, or choose filters (Builder.filters)");
    }
    return listed.subList(0, depth).stream().mapToInt(Integer::intValue).toArray();
  }

  private static List<Integer> nearestListed(ImageShape shape, Map<ImageShape, List<Integer>> table) {
    int channels = shape.channels() == 1 ? 1 : 3;
    double side = Math.log(Math.sqrt((double) shape.height() * shape.width()));
    // smallest side first, so that a tie (halfway on the log scale) goes to the cheaper architecture
    ImageShape best = table.keySet().stream().filter(s -> s.channels() == channels)
        .sorted(java.util.Comparator.comparingInt(ImageShape::height))
        .reduce((x, y) -> Math.abs(Math.log(y.height()) - side) < Math.abs(Math.log(x.height()) - side) - 1e-9 ? y : x)
        .orElseThrow();
    return table.get(best);
  }

  private static boolean divisible(ImageShape shape, int depth) {
    int factor = 1 << depth;
    return shape.height() % factor == 0 && shape.width() % factor == 0;
  }

  /**
   * A builder for images of {@code inputShape}.
   *
   * @param inputShape the images' shape
   * @return a new builder
   */
  public static Builder builder(ImageShape inputShape) {
    return new Builder(inputShape);
  }

  /** {@return the input (and output) shape} */
  public ImageShape inputShape() {
    return inputShape;
  }

  /** {@return the filters per encoder level (a copy)} */
  public int[] filters() {
    return filters.clone();
  }

  /** {@return the number of pooling levels} */
  public int depth() {
    return filters.length;
  }

  /** {@return the training loss} */
  public Loss loss() {
    return loss;
  }

  /** {@return the tensor layout of the trained network, used for inference} */
  public CNN2DFormat inferenceFormat() {
    return inferenceFormat;
  }

  /** Index of the last encoder layer, whose activations are the latent code. */
  int latentLayerIndex() {
    return 2 * filters.length - 1;
  }

  /** The DL4J configuration in {@code dataFormat}, with weights drawn from {@code seed}. */
  MultiLayerConfiguration toConfiguration(IUpdater updater, long seed, CNN2DFormat dataFormat) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .updater(updater)
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .convolutionMode(ConvolutionMode.Same)
        .list();
    for (int f : filters) {
      list.layer(conv(f, Activation.RELU, dataFormat));
      list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
          .kernelSize(2, 2).stride(2, 2).dataFormat(dataFormat).build());
    }
    for (int i = filters.length - 1; i >= 0; i--) {
      list.layer(conv(filters[i], Activation.RELU, dataFormat));
      list.layer(new Upsampling2D.Builder(2).dataFormat(dataFormat).build());
    }
    list.layer(conv(inputShape.channels(), Activation.SIGMOID, dataFormat));
    LossFunctions.LossFunction lossFunction =
        loss == Loss.BINARY_CROSS_ENTROPY ? LossFunctions.LossFunction.XENT : LossFunctions.LossFunction.MSE;
    list.layer(new CnnLossLayer.Builder(lossFunction).activation(Activation.IDENTITY).format(dataFormat).build());
    list.setInputType(InputType.convolutional(inputShape.height(), inputShape.width(), inputShape.channels(), dataFormat));
    return list.build();
  }

  private static ConvolutionLayer conv(int nOut, Activation activation, CNN2DFormat dataFormat) {
    return new ConvolutionLayer.Builder(3, 3).nOut(nOut).activation(activation).dataFormat(dataFormat).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dl4jArchitecture a && a.inputShape.equals(inputShape) && Arrays.equals(a.filters, filters)
        && a.loss == loss && a.inferenceFormat == inferenceFormat;
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputShape, Arrays.hashCode(filters), loss, inferenceFormat);
  }

  @Override
  public String toString() {
    return "Dl4jArchitecture[input=" + inputShape + ", filters=" + Arrays.toString(filters) + ", loss=" + loss
        + ", inference=" + inferenceFormat + "]";
  }

  /** Builds an architecture; setters validate at once, {@link #build()} checks the shape fits. */
  public static final class Builder {
    private final ImageShape inputShape;
    private int[] filters = DEFAULT_FILTERS.stream().mapToInt(Integer::intValue).toArray();
    private Loss loss = Loss.BINARY_CROSS_ENTROPY;
    private CNN2DFormat inferenceFormat = CNN2DFormat.NHWC;

    private Builder(ImageShape inputShape) {
      this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    }

    /**
     * Filters of each encoder level, outermost first; the length is the depth.
     *
     * @param filters filters per level
     * @return this builder
     * @throws IllegalArgumentException if empty or a value is below 1
     */
    public Builder filters(int... filters) {
      Objects.requireNonNull(filters, "filters");
      if (filters.length == 0) {
        throw new IllegalArgumentException("filters must hold at least 1 level, but was empty");
      }
      for (int i = 0; i < filters.length; i++) {
        if (filters[i] < 1) {
          throw new IllegalArgumentException("filters[" + i + "] must be at least 1, but was " + filters[i]);
        }
      }
      this.filters = filters.clone();
      return this;
    }

    /**
     * The training loss; default binary cross-entropy.
     *
     * @param loss the loss
     * @return this builder
     */
    public Builder loss(Loss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /**
     * The trained network's layout for inference; default NHWC. Batches are converted as needed.
     *
     * @param inferenceFormat the layout
     * @return this builder
     */
    public Builder inferenceFormat(CNN2DFormat inferenceFormat) {
      this.inferenceFormat = Objects.requireNonNull(inferenceFormat, "inferenceFormat");
      return this;
    }

    /**
     * Builds the architecture.
     *
     * @return the architecture
     * @throws IllegalArgumentException if height or width is not divisible by 2^depth
     */
    public Dl4jArchitecture build() {
      int factor = 1 << filters.length;
      if (inputShape.height() % factor != 0 || inputShape.width() % factor != 0) {
        throw new IllegalArgumentException("inputShape height and width must be divisible by " + factor + " (2^depth for "
            + filters.length + " pooling levels), but was " + inputShape.height() + "x" + inputShape.width()
            + "; crop or pad the images, or use fewer levels");
      }
      return new Dl4jArchitecture(this);
    }
  }
}
