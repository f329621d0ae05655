package org.drift4j.spark;

import java.time.Clock;
import java.util.Objects;

/**
 * How {@link SparkBaselines} turns a distributed column of errors into a {@link org.drift4j.Baseline}:
 * exactly (every error collected on the driver) up to {@link #maxExactErrors()} errors, beyond that
 * from a seeded uniform sample of about {@link #sampleSize()} of them.
 *
 * <pre>{@code
 * SparkBaselineConfig config = SparkBaselineConfig.custom()
 *     .maxExactErrors(2_000_000)   // collect up to 2 million errors (16 MB on the driver)
 *     .sampleSize(200_000)         // beyond that, a uniform sample of about 200,000
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SparkBaselineConfig {

  /**
   * Default largest number of errors collected whole: 8 MB on the driver, and a baseline whose
   * monitor calibrates in about a minute per setting (the calibration grows with the baseline).
   */
  public static final long DEFAULT_MAX_EXACT_ERRORS = 1_000_000;

  /** Default expected sample size beyond {@link #DEFAULT_MAX_EXACT_ERRORS}: quantiles within 0.52% in rank at 99%. */
  public static final int DEFAULT_SAMPLE_SIZE = 100_000;

  /** Default seed of the sample. */
  public static final long DEFAULT_SEED = 20_261_203L;

  private static final SparkBaselineConfig DEFAULTS = custom().build();

  private final long maxExactErrors;
  private final int sampleSize;
  private final long seed;
  private final boolean pixelStatistics;
  private final Clock clock;

  private SparkBaselineConfig(Builder b) {
    this.maxExactErrors = b.maxExactErrors;
    this.sampleSize = b.sampleSize;
    this.seed = b.seed;
    this.pixelStatistics = b.pixelStatistics;
    this.clock = b.clock;
  }

  /**
   * The defaults: exact up to {@value #DEFAULT_MAX_EXACT_ERRORS} errors, else a sample of about
   * {@value #DEFAULT_SAMPLE_SIZE}, seed {@value #DEFAULT_SEED}, per-pixel statistics on, the
   * system clock.
   *
   * @return the default config
   */
  public static SparkBaselineConfig ofDefaults() {
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

  /** {@return the largest number of errors collected whole} */
  public long maxExactErrors() {
    return maxExactErrors;
  }

  /** {@return the expected number of errors sampled when there are more than {@link #maxExactErrors()}} */
  public int sampleSize() {
    return sampleSize;
  }

  /** {@return the seed of the sample} */
  public long seed() {
    return seed;
  }

  /** {@return whether {@link SparkBaselines#compute} also computes per-pixel error statistics} */
  public boolean pixelStatistics() {
    return pixelStatistics;
  }

  /** {@return the clock that stamps baselines} */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "SparkBaselineConfig[maxExactErrors=" + maxExactErrors + ", sampleSize=" + sampleSize + ", seed=" + seed
        + ", pixelStatistics=" + pixelStatistics + "]";
  }

  /**
   * Builds a {@link SparkBaselineConfig}; every setter validates at once, {@link #build()} checks
   * that the sample fits under the exact limit. Not thread-safe; the config is.
   */
  public static final class Builder {
    private long maxExactErrors = DEFAULT_MAX_EXACT_ERRORS;
    private int sampleSize = DEFAULT_SAMPLE_SIZE;
    private long seed = DEFAULT_SEED;
    private boolean pixelStatistics = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The largest number of errors collected whole; default {@value #DEFAULT_MAX_EXACT_ERRORS}
     * (8 bytes each on the driver).
     *
     * @param errors the limit
     * @return this builder
     * @throws IllegalArgumentException if {@code errors} is below 2 or above 2^31 - 1
     */
    public Builder maxExactErrors(long errors) {
      if (errors < 2 || errors > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxExactErrors must be between 2 and 2^31 - 1, but was " + errors);
      }
      this.maxExactErrors = errors;
      return this;
    }

    /**
     * The expected size of the sample taken beyond {@link #maxExactErrors(long)}; default
     * {@value #DEFAULT_SAMPLE_SIZE}.
     *
     * @param errors the expected sample size
     * @return this builder
     * @throws IllegalArgumentException if {@code errors} is below 1,000
     */
    public Builder sampleSize(int errors) {
      if (errors < 1_000) {
        throw new IllegalArgumentException("sampleSize must be at least 1,000, but was " + errors);
      }
      this.sampleSize = errors;
      return this;
    }

    /**
     * The seed of the sample; default {@value #DEFAULT_SEED}. With one seed and one partitioning
     * of the input, the sample is the same run to run.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether {@link SparkBaselines#compute} also computes per-pixel error statistics (a second
     * engine call per chunk, for the reconstructions); default true, as
     * {@link org.drift4j.Baseline#compute} does.
     *
     * @param compute whether to
     * @return this builder
     */
    public Builder pixelStatistics(boolean compute) {
      this.pixelStatistics = compute;
      return this;
    }

    /**
     * The clock that stamps baselines; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     * @throws IllegalArgumentException if the sample size exceeds the exact limit
     */
    public SparkBaselineConfig build() {
      if (sampleSize > maxExactErrors) {
        throw new IllegalArgumentException("sampleSize must be at most maxExactErrors " + maxExactErrors + ", but was "
            + sampleSize);
      }
      return new SparkBaselineConfig(this);
    }
  }
}
