package org.drift4j.dl4j;

/**
 * How a {@link Dl4jAutoencoder} runs: how many calls may score at once (each holds one copy of
 * the network) and how many images one network pass takes: as many as fit
 * {@link #maxChunkBytes()}, given what one image costs (the network's activations for it and the
 * copies of its pixels and reconstruction), at most {@link #maxChunkImages()}.
 *
 * <pre>{@code
 * Dl4jAutoencoder ae = Dl4jAutoencoder.load(Path.of("model.zip"),
 *     Dl4jConfig.custom().concurrency(4).maxChunkBytes(256L << 20).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Dl4jConfig {

  /** Default most images fed to the network in one pass. */
  public static final int DEFAULT_MAX_CHUNK_IMAGES = 256;
  /**
   * Default memory budget of one network pass, 64 MiB: 256 images of 28×28 for the reference
   * network (about 330 KB each), 10 of 3×128×128 for its default at that size.
   */
  public static final long DEFAULT_MAX_CHUNK_BYTES = 64L << 20;

  private static final Dl4jConfig DEFAULTS = custom().build();

  private final int concurrency;
  private final int maxChunkImages;
  private final long maxChunkBytes;

  private Dl4jConfig(Builder b) {
    this.concurrency = b.concurrency;
    this.maxChunkImages = b.maxChunkImages;
    this.maxChunkBytes = b.maxChunkBytes;
  }

  /**
   * The defaults: one network copy per available processor, chunks of at most
   * {@value #DEFAULT_MAX_CHUNK_IMAGES} images and {@value #DEFAULT_MAX_CHUNK_BYTES} bytes.
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
   * @return the chunk size cap, at least 1
   */
  public int maxChunkImages() {
    return maxChunkImages;
  }

  /**
   * The memory one network pass may take, in bytes: what a chunk's images cost in activations
   * (native, kept between calls by each network copy for up to two chunk sizes) and in copies of
   * their pixels and reconstructions (heap). A model whose single image needs more is refused
   * when it is loaded or wrapped.
   *
   * @return the budget, at least 1
   */
  public long maxChunkBytes() {
    return maxChunkBytes;
  }

  @Override
  public String toString() {
    return "Dl4jConfig[concurrency=" + concurrency + ", maxChunkImages=" + maxChunkImages + ", maxChunkBytes="
        + maxChunkBytes + "]";
  }

  /** Builds a {@link Dl4jConfig}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int concurrency = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int maxChunkImages = DEFAULT_MAX_CHUNK_IMAGES;
    private long maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES;

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
     * The memory one network pass may take, in bytes; default {@value #DEFAULT_MAX_CHUNK_BYTES}.
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
     * Builds the config.
     *
     * @return the config
     */
    public Dl4jConfig build() {
      return new Dl4jConfig(this);
    }
  }
}
