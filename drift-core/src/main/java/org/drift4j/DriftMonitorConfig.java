package org.drift4j;

import java.util.Objects;

/**
 * How a {@link DriftMonitor} trades false alarms for detection speed: the expected run time on
 * clean traffic, how sure that promise must be given the one baseline the service holds, and what
 * happens after an alarm.
 *
 * <pre>{@code
 * DriftMonitorConfig config = DriftMonitorConfig.custom()
 *     .expectedRunTime(50_000)                 // one false alarm per 50,000 clean images on average
 *     .afterAlarm(DriftMonitorConfig.AfterAlarm.LATCH)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DriftMonitorConfig {

  /** Default expected run time: clean images between false alarms, on average. */
  public static final long DEFAULT_EXPECTED_RUN_TIME = 10_000;

  /** Default share of baselines for which the expected run time holds (see {@link #confidence()}). */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  /** Default baseline quantile beyond which a single image is flagged as an outlier. */
  public static final double DEFAULT_OUTLIER_QUANTILE = 0.99;

  /** Default number of recent images whose errors are kept to summarise an alarm. */
  public static final int DEFAULT_WINDOW_IMAGES = 1_000;

  /** Default number of recent images kept to explain the monitor's window: none. */
  public static final int DEFAULT_RETAINED_IMAGES = 0;

  /** The most images {@link Builder#retainedImages} accepts. */
  public static final int MAX_RETAINED_IMAGES = 100_000;

  /** What the monitor does once it has raised an alarm. */
  public enum AfterAlarm {
    /** Start again with a fresh statistic, so the next alarm needs new evidence (the default). */
    RESTART,
    /** Stay raised, scoring but not alarming again, until {@link DriftMonitor#reset()}. */
    LATCH
  }

  private static final DriftMonitorConfig DEFAULTS = custom().build();

  private final long expectedRunTime;
  private final double confidence;
  private final AfterAlarm afterAlarm;
  private final double outlierQuantile;
  private final int windowImages;
  private final int retainedImages;

  private DriftMonitorConfig(Builder b) {
    this.expectedRunTime = b.expectedRunTime;
    this.confidence = b.confidence;
    this.afterAlarm = b.afterAlarm;
    this.outlierQuantile = b.outlierQuantile;
    this.windowImages = b.windowImages;
    this.retainedImages = b.retainedImages;
  }

  /**
   * The defaults: expected run time {@value #DEFAULT_EXPECTED_RUN_TIME} images at confidence
   * {@value #DEFAULT_CONFIDENCE}, restart after an alarm, outliers beyond the baseline's
   * {@value #DEFAULT_OUTLIER_QUANTILE} quantile, the errors of {@value #DEFAULT_WINDOW_IMAGES} images
   * kept, no images retained.
   *
   * @return the default config
   */
  public static DriftMonitorConfig ofDefaults() {
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
   * A builder starting from {@code config}'s values.
   *
   * @param config the config to copy
   * @return a new builder
   */
  public static Builder from(DriftMonitorConfig config) {
    Objects.requireNonNull(config, "config");
    return new Builder().expectedRunTime(config.expectedRunTime).confidence(config.confidence)
        .afterAlarm(config.afterAlarm).outlierQuantile(config.outlierQuantile).windowImages(config.windowImages)
        .retainedImages(config.retainedImages);
  }

  /**
   * The expected run time: the mean number of clean images between false alarms that the monitor
   * promises, given the baseline, for at least a {@link #confidence()} share of baselines.
   *
   * @return images, at least 1
   */
  public long expectedRunTime() {
    return expectedRunTime;
  }

  /**
   * The share of baselines (over the random draw of the validation images) for which the
   * expected run time holds given that one baseline; the rest may false-alarm sooner.
   *
   * @return a probability in (0, 1)
   */
  public double confidence() {
    return confidence;
  }

  /** {@return what the monitor does once it has raised an alarm} */
  public AfterAlarm afterAlarm() {
    return afterAlarm;
  }

  /** {@return the baseline quantile beyond which a single image is flagged as an outlier} */
  public double outlierQuantile() {
    return outlierQuantile;
  }

  /** {@return how many recent images' errors the monitor keeps to summarise an alarm} */
  public int windowImages() {
    return windowImages;
  }

  /**
   * {@return how many of the most recent images the monitor keeps, pixels and all, so that
   * {@link DriftMonitor#explain} can say where and how its window departs from the baseline; 0
   * (the default) keeps none}
   */
  public int retainedImages() {
    return retainedImages;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriftMonitorConfig c && c.expectedRunTime == expectedRunTime && c.confidence == confidence
        && c.afterAlarm == afterAlarm && c.outlierQuantile == outlierQuantile && c.windowImages == windowImages
        && c.retainedImages == retainedImages;
  }

  @Override
  public int hashCode() {
    return Objects.hash(expectedRunTime, confidence, afterAlarm, outlierQuantile, windowImages, retainedImages);
  }

  @Override
  public String toString() {
    return "DriftMonitorConfig[expectedRunTime=" + expectedRunTime + ", confidence=" + confidence + ", afterAlarm="
        + afterAlarm + ", outlierQuantile=" + outlierQuantile + ", windowImages=" + windowImages + ", retainedImages=" + retainedImages + "]";
  }

  /**
   * Builds a {@link DriftMonitorConfig}; every setter validates its argument at once. Not
   * thread-safe; the config it builds is.
   */
  public static final class Builder {
    private long expectedRunTime = DEFAULT_EXPECTED_RUN_TIME;
    private double confidence = DEFAULT_CONFIDENCE;
    private AfterAlarm afterAlarm = AfterAlarm.RESTART;
    private double outlierQuantile = DEFAULT_OUTLIER_QUANTILE;
    private int windowImages = DEFAULT_WINDOW_IMAGES;
    private int retainedImages = DEFAULT_RETAINED_IMAGES;

    private Builder() {}

    /**
     * The mean number of clean images between false alarms; default
     * {@value #DEFAULT_EXPECTED_RUN_TIME}. A baseline supports expected run times up to about its
     * number of images and more (the monitor refuses, with the numbers, one it cannot support).
     *
     * @param images the expected run time
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1
     */
    public Builder expectedRunTime(long images) {
      if (images < 1) {
        throw new IllegalArgumentException("expectedRunTime must be at least 1 image, but was " + images);
      }
      this.expectedRunTime = images;
      return this;
    }

    /**
     * The share of baselines for which the expected run time holds; default
     * {@value #DEFAULT_CONFIDENCE}.
     *
     * @param confidence a probability
     * @return this builder
     * @throws IllegalArgumentException if {@code confidence} is not greater than 0 and lower than 1
     */
    public Builder confidence(double confidence) {
      this.confidence = Checks.requireOpenUnit("confidence", confidence);
      return this;
    }

    /**
     * What the monitor does after an alarm; default {@link AfterAlarm#RESTART}.
     *
     * @param afterAlarm restart or latch
     * @return this builder
     */
    public Builder afterAlarm(AfterAlarm afterAlarm) {
      this.afterAlarm = Objects.requireNonNull(afterAlarm, "afterAlarm");
      return this;
    }

    /**
     * The baseline quantile beyond which a single image is flagged as an outlier; default
     * {@value #DEFAULT_OUTLIER_QUANTILE}.
     *
     * @param quantile the quantile
     * @return this builder
     * @throws IllegalArgumentException if {@code quantile} is not greater than 0 and lower than 1
     */
    public Builder outlierQuantile(double quantile) {
      this.outlierQuantile = Checks.requireOpenUnit("outlierQuantile", quantile);
      return this;
    }

    /**
     * How many recent images' errors the monitor keeps to summarise an alarm (the images since
     * the estimated change, at most this many); default {@value #DEFAULT_WINDOW_IMAGES}.
     *
     * @param images the window
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1 or above 1,000,000
     */
    public Builder windowImages(int images) {
      if (images < 1 || images > 1_000_000) {
        throw new IllegalArgumentException("windowImages must be between 1 and 1,000,000, but was " + images);
      }
      this.windowImages = images;
      return this;
    }

    /**
     * How many of the most recent images the monitor keeps, pixels and all, for
     * {@link DriftMonitor#explain}; default {@value #DEFAULT_RETAINED_IMAGES} (none). Memory: images
     * × channels × height × width × 4 bytes, allocated when the monitor is built (1,000 MNIST
     * images: 3.1 MB; 1,000 RGB images of 224 × 224: 602 MB). Each {@code observe} then copies its
     * pixels into the ring under the monitor's lock (one array copy, about a microsecond for 32
     * MNIST images); without retention nothing changes. The monitor must score images
     * ({@link DriftMonitor#builder(org.drift4j.spi.Autoencoder, Baseline)}) against a baseline with
     * per-pixel statistics.
     *
     * @param images the images to keep, 0 for none
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is negative or above
     *     {@value #MAX_RETAINED_IMAGES}
     */
    public Builder retainedImages(int images) {
      if (images < 0 || images > MAX_RETAINED_IMAGES) {
        throw new IllegalArgumentException("retainedImages must be between 0 and " + MAX_RETAINED_IMAGES
            + ", but was " + images);
      }
      this.retainedImages = images;
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     */
    public DriftMonitorConfig build() {
      return new DriftMonitorConfig(this);
    }
  }
}
