package org.drift4j.dl4j;

/**
 * How a {@link Dl4jAutoencoder} runs: how many calls may score at once (each holds one copy of
 * the network) and how many images one network pass takes.
 *
 * <pre>{@code
 * Dl4jAutoencoder ae = Dl4jAutoencoder.load(Path.of("model.zip"),
 *     Dl4jConfig.custom().concurrency(4).maxChunkImages(128).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Dl4jConfig {

  /** Default number of images fed to the network in one pass. */
  public static final int DEFAULT_MAX_CHUNK_IMAGES = 256;

  private static final Dl4jConfig DEFAULTS = custom().build();

  private final int concurrency;
  private final int maxChunkImages;

  private Dl4jConfig(Builder b) {
    this.concurrency = b.concurrency;
    this.maxChunkImages = b.maxChunkImages;
  }

  /**
   * The defaults: one network copy per available processor, chunks of
   * {@value #DEFAULT_MAX_CHUNK_IMAGES} images.
   *
   * @return the default config
   */
  public static Dl4jConfig ofDefaults() {
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
   * How many calls may reconstruct at once; each has its own copy of the network (and of its
   * kept activation arrays), and a call beyond this number waits for a copy.
   *
   * @return the number of network copies, at least 1
   */
  public int concurrency() {
    return concurrency;
  }

  /**
   * The most images fed to the network in one pass: larger batches are scored in chunks, so that
   * memory stays bounded whatever the batch size.
   *
   * @return the chunk size, at least 1
   */
  public int maxChunkImages() {
    return maxChunkImages;
  }

  @Override
  public String toString() {
    return "Dl4jConfig[concurrency=" + concurrency + ", maxChunkImages=" + maxChunkImages + "]";
  }

  /** Builds a {@link Dl4jConfig}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int concurrency = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int maxChunkImages = DEFAULT_MAX_CHUNK_IMAGES;

    private Builder() {}

    /**
     * How many calls may reconstruct at once; default: the number of available processors.
     *
     * @param concurrency network copies
     * @return this builder
     * @throws IllegalArgumentException if {@code concurrency} is below 1
     */
    public Builder concurrency(int concurrency) {
      this.concurrency = Checks.atLeast("concurrency", concurrency, 1);
      return this;
    }

    /**
     * The most images fed to the network in one pass; default {@value #DEFAULT_MAX_CHUNK_IMAGES}.
     *
     * @param images the chunk size
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1
     */
    public Builder maxChunkImages(int images) {
      this.maxChunkImages = Checks.atLeast("maxChunkImages", images, 1);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     */
    public Dl4jConfig build() {
      return new Dl4jConfig(this);
    }
  }
}
