package org.drift4j;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.drift4j.internal.Scoring;
import org.drift4j.spi.Autoencoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks production image batches for drift: reconstructs them with an autoencoder, measures
 * per-image errors and lets a {@link DriftPolicy} compare them with a {@link Baseline}.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.builder()
 *     .autoencoder(autoencoder)
 *     .baseline(BaselineStore.read(Path.of("baseline.json")))
 *     .build();
 * DriftReport report = detector.check(ImageBatch.of(shape, pixels));
 * if (report.drift()) { ... }
 * }</pre>
 *
 * <p>Thread-safe: {@link #check} may be called concurrently from any number of threads; the
 * detector holds no mutable state besides the policy's caches, and the autoencoder contract
 * requires thread-safe reconstruction. Closing the detector closes the autoencoder if it is
 * {@link AutoCloseable}.
 */
public final class DriftDetector implements AutoCloseable {

  /** Default baseline quantile beyond which an image is flagged as an outlier. */
  public static final double DEFAULT_OUTLIER_QUANTILE = 0.99;

  /** Default number of images reconstructed at once; larger batches are scored in chunks. */
  public static final int DEFAULT_CHUNK_SIZE = 256;

  private static final Logger LOG = LoggerFactory.getLogger(DriftDetector.class);

  private final Autoencoder autoencoder;
  private final Baseline baseline;
  private final DriftPolicy policy;
  private final double outlierQuantile;
  private final double outlierThreshold;
  private final int chunkSize;
  private final List<DriftListener> listeners;
  private final Clock clock;

  private DriftDetector(Builder b) {
    this.autoencoder = b.autoencoder;
    this.baseline = b.baseline;
    this.policy = b.policy;
    this.outlierQuantile = b.outlierQuantile;
    this.outlierThreshold = baseline.quantile(outlierQuantile);
    this.chunkSize = b.chunkSize;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
  }

  /** A builder; {@link Builder#autoencoder} and {@link Builder#baseline} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks one batch.
   *
   * @throws NullPointerException if {@code batch} is null
   * @throws IllegalArgumentException if the batch's shape differs from the autoencoder's
   * @throws IllegalStateException if the autoencoder returns malformed or non-finite output
   */
  public DriftReport check(ImageBatch batch) {
    Objects.requireNonNull(batch, "batch");
    long start = System.nanoTime();
    double[] errors = Scoring.errors(autoencoder, batch, baseline.errorMeasure(), chunkSize);
    PolicyDecision decision = policy.decide(errors, baseline);
    double[] pValues = new double[errors.length];
    boolean[] outliers = new boolean[errors.length];
    for (int i = 0; i < errors.length; i++) {
      pValues[i] = baseline.upperTailPValue(errors[i]);
      outliers[i] = errors[i] > outlierThreshold;
    }
    Instant now = clock.instant();
    DriftReport report = new DriftReport(decision, policy.name(), errors, pValues, outliers, outlierQuantile,
        outlierThreshold, baseline, now, Duration.ofNanos(System.nanoTime() - start));
    notifyListeners(report);
    return report;
  }

  private void notifyListeners(DriftReport report) {
    for (DriftListener listener : listeners) {
      try {
        listener.onReport(report);
        if (report.drift()) {
          listener.onDrift(report);
        }
      } catch (RuntimeException e) {
        LOG.warn("drift listener {} failed; check() goes on", listener, e);
      }
    }
  }

  /** The autoencoder. */
  public Autoencoder autoencoder() {
    return autoencoder;
  }

  /** The baseline. */
  public Baseline baseline() {
    return baseline;
  }

  /** The decision policy. */
  public DriftPolicy policy() {
    return policy;
  }

  /**
   * Closes the autoencoder if it holds resources.
   *
   * @throws IllegalStateException wrapping a checked exception the autoencoder's {@code close}
   *     threw (unchecked ones pass through), so that try-with-resources needs no catch clause
   */
  @Override
  public void close() {
    if (autoencoder instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while closing the autoencoder", e);
      } catch (Exception e) {
        throw new IllegalStateException("closing the autoencoder failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Builds a {@link DriftDetector}. Each setter validates its argument at once; {@link #build()}
   * checks that the parts fit together. Not thread-safe; the detector it builds is.
   */
  public static final class Builder {
    private Autoencoder autoencoder;
    private Baseline baseline;
    private ReconstructionError errorMeasure;
    private DriftPolicy policy = DriftPolicy.rankTest(DriftPolicy.DEFAULT_ALPHA);
    private double outlierQuantile = DEFAULT_OUTLIER_QUANTILE;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private final List<DriftListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The autoencoder that reconstructs batches (required). */
    public Builder autoencoder(Autoencoder autoencoder) {
      this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
      return this;
    }

    /** The baseline computed with that autoencoder (required). */
    public Builder baseline(Baseline baseline) {
      this.baseline = Objects.requireNonNull(baseline, "baseline");
      return this;
    }

    /**
     * The error measure to use; optional, since the baseline records its own. When set it must
     * equal the baseline's, which {@link #build()} checks.
     */
    public Builder errorMeasure(ReconstructionError errorMeasure) {
      this.errorMeasure = Objects.requireNonNull(errorMeasure, "errorMeasure");
      return this;
    }

    /** The decision policy; default {@link DriftPolicy#rankTest(double) rankTest(DEFAULT_ALPHA)}. */
    public Builder policy(DriftPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The baseline quantile beyond which an image is flagged as an outlier; default
     * {@value #DEFAULT_OUTLIER_QUANTILE}.
     *
     * @throws IllegalArgumentException if {@code quantile} is outside (0, 1)
     */
    public Builder outlierQuantile(double quantile) {
      this.outlierQuantile = Checks.requireOpenUnit("outlierQuantile", quantile);
      return this;
    }

    /**
     * The most images reconstructed at once; default {@value #DEFAULT_CHUNK_SIZE}.
     *
     * @throws IllegalArgumentException if {@code chunkSize} is below 1
     */
    public Builder chunkSize(int chunkSize) {
      this.chunkSize = Checks.requireAtLeast("chunkSize", chunkSize, 1);
      return this;
    }

    /** Adds a listener notified after every check. */
    public Builder listener(DriftListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock that stamps reports; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the detector.
     *
     * @throws IllegalStateException if the autoencoder or the baseline is missing
     * @throws IncompatibleBaselineException if the baseline's shape, fingerprint or error measure
     *     does not match the autoencoder and the chosen error measure
     * @throws IllegalArgumentException if the policy refuses the baseline
     */
    public DriftDetector build() {
      if (autoencoder == null) {
        throw new IllegalStateException("autoencoder is required: call autoencoder(...) before build()");
      }
      if (baseline == null) {
        throw new IllegalStateException("baseline is required: call baseline(...) before build()");
      }
      IncompatibleBaselineException.requireMatch(baseline, autoencoder);
      if (errorMeasure != null && errorMeasure != baseline.errorMeasure()) {
        throw new IncompatibleBaselineException("errorMeasure must equal the baseline's " + baseline.errorMeasure()
            + ", but was " + errorMeasure);
      }
      policy.requireCompatible(baseline);
      return new DriftDetector(this);
    }
  }
}
