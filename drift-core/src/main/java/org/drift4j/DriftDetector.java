package org.drift4j;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.drift4j.spi.Autoencoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks production image batches for drift, one batch at a time: reconstructs each batch with
 * an autoencoder, measures per-image errors and lets a {@link DriftPolicy} compare them with a
 * {@link Baseline}. For a stream of requests (one or a few images each), where a per-batch test
 * at rate alpha would raise a false alarm every 1 / alpha requests, use {@code DriftMonitor}.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.builder(autoencoder, BaselineStore.read(Path.of("baseline.json")))
 *     .config(DriftDetectorConfig.custom().policy(DriftPolicy.rankTest(0.01)).build())
 *     .build();
 * DriftReport report = detector.check(ImageBatch.of(shape, pixels));
 * if (report.drift()) { ... }
 * }</pre>
 *
 * <p>Thread-safe: {@link #check} may be called concurrently from any number of threads; the
 * detector holds no mutable state besides the policy's caches and its listeners (a copy-on-write
 * list), and the autoencoder contract requires thread-safe reconstruction.
 *
 * <p>Ownership: the detector never closes the autoencoder it was given. Whoever created the
 * autoencoder closes it, once no {@code check} is in flight.
 */
public final class DriftDetector {

  private static final Logger LOG = LoggerFactory.getLogger(DriftDetector.class);

  private final Autoencoder autoencoder;
  private final Baseline baseline;
  private final DriftDetectorConfig config;
  private final double outlierThreshold;
  private final List<DriftListener> listeners = new CopyOnWriteArrayList<>();
  private final Clock clock;

  private DriftDetector(Builder b) {
    this.autoencoder = b.autoencoder;
    this.baseline = b.baseline;
    this.config = b.config;
    this.outlierThreshold = baseline.quantile(config.outlierQuantile());
    this.listeners.addAll(b.listeners);
    this.clock = b.clock;
  }

  /**
   * A builder for a detector of {@code autoencoder} against {@code baseline}.
   *
   * @param autoencoder the model that reconstructs batches
   * @param baseline the baseline computed with that model
   * @return a new builder, with {@link DriftDetectorConfig#ofDefaults()}
   */
  public static Builder builder(Autoencoder autoencoder, Baseline baseline) {
    return new Builder(autoencoder, baseline);
  }

  /**
   * Checks one batch.
   *
   * @param batch the images, of the autoencoder's shape
   * @return the report
   * @throws NullPointerException if {@code batch} is null
   * @throws IllegalArgumentException if the batch's shape differs from the autoencoder's, or its
   *     preprocessing from the baseline's
   * @throws IllegalStateException if the autoencoder returns malformed or non-finite output; the
   *     message names the image
   */
  public DriftReport check(ImageBatch batch) {
    Objects.requireNonNull(batch, "batch");
    Scoring.requirePreprocessing(baseline, batch);
    long start = System.nanoTime();
    double[] errors = Scoring.errors(autoencoder, batch, baseline.errorMeasure());
    DriftPolicy policy = config.policy();
    PolicyDecision decision = policy.decide(errors, baseline);
    double[] pValues = new double[errors.length];
    boolean[] outliers = new boolean[errors.length];
    for (int i = 0; i < errors.length; i++) {
      pValues[i] = baseline.upperTailPValue(errors[i]);
      outliers[i] = errors[i] > outlierThreshold;
    }
    Instant now = clock.instant();
    DriftReport report = new DriftReport(decision, policy.name(), errors, pValues, outliers,
        config.outlierQuantile(), outlierThreshold, baseline, now, Duration.ofNanos(System.nanoTime() - start));
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

  /**
   * Adds a listener, e.g. a metrics binder; it hears every later check.
   *
   * @param listener the listener
   */
  public void addListener(DriftListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added by the builder or {@link #addListener}.
   *
   * @param listener the listener
   * @return whether it was there
   */
  public boolean removeListener(DriftListener listener) {
    return listeners.remove(listener);
  }

  /**
   * The autoencoder (not owned: the detector never closes it).
   *
   * @return the autoencoder
   */
  public Autoencoder autoencoder() {
    return autoencoder;
  }

  /**
   * The baseline.
   *
   * @return the baseline
   */
  public Baseline baseline() {
    return baseline;
  }

  /**
   * The configuration.
   *
   * @return the config
   */
  public DriftDetectorConfig config() {
    return config;
  }

  @Override
  public String toString() {
    return "DriftDetector[" + config.policy().name() + ", baseline " + baseline.id() + ", " + autoencoder + "]";
  }

  /**
   * Builds a {@link DriftDetector}. Each setter validates its argument at once; {@link #build()}
   * checks that the parts fit together. Not thread-safe; the detector it builds is.
   */
  public static final class Builder {
    private final Autoencoder autoencoder;
    private final Baseline baseline;
    private DriftDetectorConfig config = DriftDetectorConfig.ofDefaults();
    private final List<DriftListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder(Autoencoder autoencoder, Baseline baseline) {
      this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
      this.baseline = Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * The decision policy and outlier threshold; default {@link DriftDetectorConfig#ofDefaults()}.
     *
     * @param config the config
     * @return this builder
     */
    public Builder config(DriftDetectorConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Adds a listener notified after every check, on the checking thread.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DriftListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock that stamps reports; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the detector.
     *
     * @return the detector
     * @throws IncompatibleBaselineException if the baseline's shape or fingerprint does not match
     *     the autoencoder
     * @throws IllegalArgumentException if the policy refuses the baseline
     */
    public DriftDetector build() {
      IncompatibleBaselineException.requireMatch(baseline, autoencoder);
      config.policy().requireCompatible(baseline);
      return new DriftDetector(this);
    }
  }
}
