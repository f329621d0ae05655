package org.drift4j.onnx;

/**
 * How an {@link OnnxAutoencoder} runs: threads per call, whether errors use the Java Vector API,
 * and how batches are cut: into chunks of as many images as {@link #maxChunkBytes()} pays for
 * (given what one image costs the model), at most {@link #maxChunkImages()}, each cut into slices
 * of at least {@link #minSliceValues()} values.
 *
 * <pre>{@code
 * OnnxAutoencoder ae = OnnxAutoencoder.load(Path.of("model.onnx"),
 *     OnnxConfig.custom().threads(2).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class OnnxConfig {

  /** Default most images given to one ONNX Runtime run. */
  public static final int DEFAULT_MAX_CHUNK_IMAGES = 256;
  /** Default memory budget of one chunk, 64 MiB. */
  public static final long DEFAULT_MAX_CHUNK_BYTES = 64L << 20;
  /**
   * Activation values per input value assumed for a model whose metadata does not say what one
   * image costs ({@code drift4j.activationValuesPerImage}, written by Drift4j's exports): the
   * reference autoencoder takes about 100 on grey images and 35 on colour ones.
   */
  public static final int ASSUMED_ACTIVATIONS_PER_INPUT_VALUE = 128;

  /**
   * Default fewest pixel values (images × channels × height × width) worth a slice of their own
   * thread. Handing a slice to a helper thread costs about 10–20 µs; ONNX Runtime spent about
   * 0.1 µs per input value on the reference network, so slices of fewer values gain nothing.
   */
  public static final int DEFAULT_MIN_SLICE_VALUES = 1_024;

  private static final OnnxConfig DEFAULTS = custom().build();

  private final int threads;
  private final boolean vectorErrors;
  private final int maxChunkImages;
  private final long maxChunkBytes;
  private final int minSliceValues;

  private OnnxConfig(Builder b) {
    this.threads = b.threads;
    this.vectorErrors = b.vectorErrors;
    this.maxChunkImages = b.maxChunkImages;
    this.maxChunkBytes = b.maxChunkBytes;
    this.minSliceValues = b.minSliceValues;
  }

  /**
   * The defaults: one thread per available processor, Vector API errors where the JVM has the
   * module, chunks of at most {@value #DEFAULT_MAX_CHUNK_IMAGES} images and
   * {@value #DEFAULT_MAX_CHUNK_BYTES} bytes, slices of at least
   * {@value #DEFAULT_MIN_SLICE_VALUES} values.
   *
   * @return the default config
   */
  public static OnnxConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder custom() {
    return new Builder();
  }

  /**
   * Threads one call may use, the calling thread included.
   *
   * @return the thread count, at least 1
   */
  public int threads() {
    return threads;
  }

  /**
   * Whether errors are computed with the Java Vector API when the JVM runs with
   * {@code --add-modules jdk.incubator.vector}; otherwise ONNX Runtime computes them.
   *
   * @return true to use the Vector API where available
   */
  public boolean vectorErrors() {
    return vectorErrors;
  }

  /**
   * The most images given to one ONNX Runtime run; larger batches are scored in chunks.
   *
   * @return the chunk size cap, at least 1
   */
  public int maxChunkImages() {
    return maxChunkImages;
  }

  /**
   * The memory one chunk may take, in bytes: its images' activations in ONNX Runtime (what the
   * model's {@code drift4j.activationValuesPerImage} metadata says one image takes, otherwise
   * {@value #ASSUMED_ACTIVATIONS_PER_INPUT_VALUE} values per input value) and the copies of their
   * pixels and reconstructions. A model whose metadata says its single image needs more is
   * refused when it is loaded; one that does not say gets chunks of at least one image.
   *
   * @return the budget, at least 1
   */
  public long maxChunkBytes() {
    return maxChunkBytes;
  }

  /**
   * The fewest pixel values a batch slice scored on a thread of its own holds; a single image of
   * at least twice this many values runs on ONNX Runtime's own threads instead.
   *
   * @return the value count, at least 1
   */
  public int minSliceValues() {
    return minSliceValues;
  }

  @Override
  public String toString() {
    return "OnnxConfig[threads=" + threads + ", vectorErrors=" + vectorErrors + ", maxChunkImages=" + maxChunkImages
        + ", maxChunkBytes=" + maxChunkBytes + ", minSliceValues=" + minSliceValues + "]";
  }

  /** Builds an {@link OnnxConfig}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private boolean vectorErrors = true;
    private int maxChunkImages = DEFAULT_MAX_CHUNK_IMAGES;
    private long maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES;
    private int minSliceValues = DEFAULT_MIN_SLICE_VALUES;

    private Builder() {}

    /**
     * Threads one call may use, the calling thread included; default: the number of available
     * processors.
     *
     * @param threads the thread count
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is below 1
     */
    public Builder threads(int threads) {
      this.threads = atLeastOne("threads", threads);
      return this;
    }

    /**
     * Whether to compute errors with the Java Vector API where the JVM has the module; default
     * true.
     *
     * @param vectorErrors false to always let ONNX Runtime compute them
     * @return this builder
     */
    public Builder vectorErrors(boolean vectorErrors) {
      this.vectorErrors = vectorErrors;
      return this;
    }

    /**
     * The most images given to one ONNX Runtime run; default {@value #DEFAULT_MAX_CHUNK_IMAGES}.
     *
     * @param images the chunk size
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1
     */
    public Builder maxChunkImages(int images) {
      this.maxChunkImages = atLeastOne("maxChunkImages", images);
      return this;
    }

    /**
     * The memory one chunk may take, in bytes; default {@value #DEFAULT_MAX_CHUNK_BYTES}.
     *
     * @param bytes the budget
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1
     */
    public Builder maxChunkBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxChunkBytes must be at least 1, but was " + bytes);
      }
      this.maxChunkBytes = bytes;
      return this;
    }

    /**
     * The fewest pixel values worth a thread of their own; default
     * {@value #DEFAULT_MIN_SLICE_VALUES}.
     *
     * @param values the value count
     * @return this builder
     * @throws IllegalArgumentException if {@code values} is below 1
     */
    public Builder minSliceValues(int values) {
      this.minSliceValues = atLeastOne("minSliceValues", values);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     */
    public OnnxConfig build() {
      return new OnnxConfig(this);
    }

    private static int atLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, but was " + value);
      }
      return value;
    }
  }
}
