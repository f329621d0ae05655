package org.drift4j;

import java.util.Objects;

/**
 * How a {@link DriftDetector} decides, independently of the model it scores with: the decision
 * policy and the outlier threshold of single images. One config may serve many detectors.
 *
 * <pre>{@code
 * DriftDetectorConfig config = DriftDetectorConfig.custom()
 *     .policy(DriftPolicy.rankTest(0.001))
 *     .outlierQuantile(0.999)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DriftDetectorConfig {

  /** Default false-alarm rate of the default policy, {@code rankTest(DEFAULT_ALPHA)}. */
  public static final double DEFAULT_ALPHA = 0.01;

  /** Default baseline quantile beyond which a single image is flagged as an outlier. */
  public static final double DEFAULT_OUTLIER_QUANTILE = 0.99;

  private static final DriftDetectorConfig DEFAULTS = custom().build();

  private final DriftPolicy policy;
  private final double outlierQuantile;

  private DriftDetectorConfig(Builder builder) {
    this.policy = builder.policy;
    this.outlierQuantile = builder.outlierQuantile;
  }

  /**
   * The defaults: {@link DriftPolicy#rankTest(double) rankTest}({@value #DEFAULT_ALPHA}) and
   * outlier quantile {@value #DEFAULT_OUTLIER_QUANTILE}.
   *
   * @return the default config
   */
  public static DriftDetectorConfig ofDefaults() {
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
  public static Builder from(DriftDetectorConfig config) {
    Objects.requireNonNull(config, "config");
    return new Builder().policy(config.policy).outlierQuantile(config.outlierQuantile);
  }

  /**
   * The decision policy.
   *
   * @return the policy
   */
  public DriftPolicy policy() {
    return policy;
  }

  /**
   * The baseline quantile beyond which an image is flagged as an outlier in reports.
   *
   * @return the quantile, in (0, 1)
   */
  public double outlierQuantile() {
    return outlierQuantile;
  }

  @Override
  public String toString() {
    return "DriftDetectorConfig[policy=" + policy.name() + ", outlierQuantile=" + outlierQuantile + "]";
  }

  /**
   * Builds a {@link DriftDetectorConfig}; every setter validates its argument at once. Not
   * thread-safe; the config it builds is.
   */
  public static final class Builder {
    private DriftPolicy policy;
    private double outlierQuantile = DEFAULT_OUTLIER_QUANTILE;

    private Builder() {}

    /**
     * The decision policy; default {@link DriftPolicy#rankTest(double) rankTest}({@value #DEFAULT_ALPHA}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(DriftPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The baseline quantile beyond which an image is flagged as an outlier; default
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
     * Builds the config.
     *
     * @return the config
     */
    public DriftDetectorConfig build() {
      if (policy == null) {
        policy = DriftPolicy.rankTest(DEFAULT_ALPHA);
      }
      return new DriftDetectorConfig(this);
    }
  }
}
