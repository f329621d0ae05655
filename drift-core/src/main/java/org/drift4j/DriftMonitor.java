package org.drift4j;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.drift4j.spi.Autoencoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a service's stream of images for drift, across requests and threads, with a calibrated
 * rate of false alarms: where {@link DriftDetector} tests each batch alone at rate α (a false
 * alarm every 1 / α requests on clean traffic), a monitor accumulates the evidence of every image
 * it sees and raises an alarm when the stream as a whole departs from the baseline, about once in
 * {@link DriftMonitorConfig#expectedRunTime()} clean images.
 *
 * <pre>{@code
 * DriftMonitor monitor = DriftMonitor.builder(autoencoder, baseline)
 *     .config(DriftMonitorConfig.custom().expectedRunTime(50_000).build())
 *     .listener(new MonitorListener() {
 *       @Override public void onAlarm(DriftAlarm alarm) { alerts.send(alarm.toJson()); }
 *     })
 *     .build();
 * MonitorObservation seen = monitor.observe(ImageBatch.ofImage(shape, requestImage)); // per request
 * }</pre>
 *
 * <h2>The statistic</h2>
 * Each image's error becomes its rank among the baseline's errors (ties broken at random), and a
 * mixture Shiryaev–Roberts statistic accumulates the rank likelihood ratios of 21 alternatives:
 * errors shifted up or down at four strengths, foreign images beyond either tail at four widths,
 * outliers in both tails, errors gathering in the middle or around the 20th or 80th percentile
 * (the 14 strong ones only, when the baseline is too small for all 21 at the run time asked). On
 * clean images the ranks are uniform on average over baselines; under drift they lean towards one
 * of the alternatives and the statistic grows geometrically. It alarms at a threshold calibrated
 * for the expected run time: given the baseline the service holds, clean ranks are independent
 * with a law that depends on that baseline's own sampling error (Dirichlet-distributed over
 * baselines, whatever the error distribution), and the threshold is the
 * {@link DriftMonitorConfig#confidence()} quantile, over simulated baselines, of the one that gives
 * that baseline the expected run time. The promise, exactly: for at least that share of baselines
 * drawn from the validation images' distribution, the mean number of clean images between false
 * alarms, given the baseline, is at least the expected run time (up to the calibration's Monte
 * Carlo error). A baseline too small for the run time asked is refused at {@link Builder#build()}
 * with the numbers. Statistics, run lengths and detection delays are in docs/monitor.md.
 *
 * <p>Thread safety: {@link #observe} may be called from any number of threads. Images are scored
 * by the autoencoder outside any lock, then enter the stream one call at a time, in the order the
 * calls take the monitor's lock, each call's images in batch order; every image enters exactly
 * once, and each observation says where its images lie ({@link MonitorObservation#firstImage()}).
 * The critical section only ranks and adds the errors (a few hundred nanoseconds a batch).
 *
 * <p>Ownership: the monitor never closes the autoencoder it was given.
 */
public final class DriftMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
  /** Seed of the threshold calibration, so that every monitor of one setting gets one threshold. */
  static final long CALIBRATION_SEED = 20_261_202L;
  /** Calibrated thresholds above this many expected run times are refused: the baseline's noise would decide. */
  static final double MAX_THRESHOLD_FACTOR = 10;

  private final Autoencoder autoencoder;
  private final Baseline baseline;
  private final DriftMonitorConfig config;
  private final Clock clock;
  private final double[] sortedErrors;
  private final double outlierThreshold;
  private final List<MonitorListener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final MonitorStream stream;
  /** The last images, for explanations; null unless {@link DriftMonitorConfig#retainedImages()} is set. */
  private final MonitorRetention retention;

  private DriftMonitor(Builder b, MonitorCalibrationCache.Accepted statistic, MonitorRetention retention) {
    this.autoencoder = b.autoencoder;
    this.baseline = b.baseline;
    this.config = b.config;
    this.clock = b.clock;
    this.sortedErrors = baseline.sortedErrorsView();
    this.outlierThreshold = baseline.quantile(config.outlierQuantile());
    this.listeners.addAll(b.listeners);
    this.stream = new MonitorStream(new ShiryaevRoberts(baseline.count(), statistic.alternatives(),
        statistic.threshold()), config, baseline, outlierThreshold);
    this.retention = retention;
  }

  /**
   * A builder for a monitor that scores images with {@code autoencoder} against {@code baseline}.
   *
   * @param autoencoder the model that reconstructs the images
   * @param baseline the baseline computed with that model
   * @return a new builder with {@link DriftMonitorConfig#ofDefaults()}
   */
  public static Builder builder(Autoencoder autoencoder, Baseline baseline) {
    return new Builder(Objects.requireNonNull(autoencoder, "autoencoder"), baseline);
  }

  /**
   * A builder for a monitor of errors computed elsewhere ({@link #observeErrors}), e.g. on other
   * machines; its {@link #observe} refuses images.
   *
   * @param baseline the baseline the errors are compared with
   * @return a new builder with {@link DriftMonitorConfig#ofDefaults()}
   */
  public static Builder builder(Baseline baseline) {
    return new Builder(null, baseline);
  }

  /**
   * Scores a batch (one engine call) and adds its images to the stream.
   *
   * @param batch the images of one request, of the autoencoder's shape and the baseline's
   *     preprocessing
   * @return the images' errors, p-values and outlier flags, any alarm they raised, and the status
   * @throws IllegalStateException if this monitor was built for errors only, or the autoencoder
   *     returns malformed or non-finite output (the message names the image)
   * @throws IllegalArgumentException if the batch's shape differs from the autoencoder's, or its
   *     preprocessing from the baseline's
   */
  public MonitorObservation observe(ImageBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (autoencoder == null) {
      throw new IllegalStateException("this monitor was built for errors only (builder(baseline)); observe them with"
          + " observeErrors, or build it with builder(autoencoder, baseline)");
    }
    Scoring.requirePreprocessing(baseline, batch);
    long start = System.nanoTime();
    return add(Scoring.errors(autoencoder, batch, baseline.errorMeasure()), batch, start);
  }

  /**
   * Adds images whose errors were computed elsewhere, with the baseline's measure and model. They
   * are not retained for explanations (there are no pixels to keep).
   *
   * @param errors one error per image, in stream order
   * @return as {@link #observe}
   * @throws IllegalArgumentException if {@code errors} is empty or holds a negative, NaN or
   *     infinite value
   */
  public MonitorObservation observeErrors(double[] errors) {
    Objects.requireNonNull(errors, "errors");
    Checks.requireErrors("errors", errors);
    return add(errors.clone(), null, System.nanoTime());
  }

  private MonitorObservation add(double[] errors, ImageBatch batch, long start) {
    ImageRanks ranks = ImageRanks.of(sortedErrors, errors, outlierThreshold);
    MonitorStream.Added added;
    lock.lock();
    try {
      added = stream.add(errors, ranks.below(), ranks.ties(), clock);
      if (retention != null && batch != null) {
        retention.add(batch, added.firstImage());
      }
    } finally {
      lock.unlock();
    }
    MonitorObservation observation = new MonitorObservation(added.firstImage(), errors, ranks.pValues(), ranks.outliers(),
        added.alarms(), added.status(), clock.instant(), Duration.ofNanos(System.nanoTime() - start));
    notifyListeners(observation);
    return observation;
  }

  private void notifyListeners(MonitorObservation observation) {
    for (MonitorListener listener : listeners) {
      try {
        listener.onObservation(observation);
        for (DriftAlarm alarm : observation.alarms()) {
          listener.onAlarm(alarm);
        }
      } catch (RuntimeException e) {
        LOG.warn("monitor listener {} failed; observe() goes on", listener, e);
      }
    }
  }

  /** {@return where the monitor stands now} */
  public MonitorStatus status() {
    lock.lock();
    try {
      return stream.status();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts the statistic afresh and lowers a latched alarm; the image count and the alarm count
   * go on.
   */
  public void reset() {
    lock.lock();
    try {
      stream.restart();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The monitor's state, to restore after a restart of the service ({@link #restore}).
   *
   * @return a snapshot of this moment
   */
  public MonitorSnapshot snapshot() {
    lock.lock();
    try {
      return stream.snapshot(clock.instant());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Continues from a snapshot taken by a monitor of the same baseline, model and settings. Images
   * retained for explanations are not part of a snapshot: the monitor forgets those it held.
   *
   * @param snapshot the state to continue from
   * @throws IllegalArgumentException if the snapshot was taken with another baseline, model,
   *     expected run time, confidence or statistic, naming which
   */
  public void restore(MonitorSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    lock.lock();
    try {
      stream.restore(snapshot);
      if (retention != null) {
        retention.clear();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Explains the most recent images, those the monitor retains
   * ({@link DriftMonitorConfig#retainedImages()}), at {@link DriftExplainer#DEFAULT_LEVEL}: copied
   * out under the monitor's lock, reconstructed outside it; the top images' indices are stream
   * indices.
   *
   * @param top how many of the most anomalous images to keep, from 1 to the images retained
   * @return the explanation
   * @throws IllegalStateException if this monitor retains no images, or none yet
   * @throws IllegalArgumentException if {@code top} is below 1 or above the images retained
   */
  public DriftExplanation explain(int top) {
    return MonitorRetention.require(retention).explain(Long.MIN_VALUE, top, lock, baseline.preprocessing());
  }

  /**
   * Explains the retained images from an alarm's estimated change point on
   * ({@link DriftAlarm#changePoint()}) to the latest: what the drift looks like. Call it when the
   * alarm is raised ({@link MonitorListener#onAlarm}, or after the {@link #observe} that raised it).
   *
   * @param alarm an alarm of this monitor
   * @param top how many of the most anomalous images to keep, from 1 to the images explained
   * @return the explanation
   * @throws IllegalStateException if this monitor retains no images, or none from the change point on
   * @throws IllegalArgumentException if {@code top} is below 1 or above the images explained
   */
  public DriftExplanation explain(DriftAlarm alarm, int top) {
    Objects.requireNonNull(alarm, "alarm");
    return MonitorRetention.require(retention).explain(alarm.changePoint(), top, lock, baseline.preprocessing());
  }

  /**
   * Adds a listener, e.g. a metrics binder; it hears every later observation.
   *
   * @param listener the listener
   */
  public void addListener(MonitorListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added by the builder or {@link #addListener}.
   *
   * @param listener the listener
   * @return whether it was there
   */
  public boolean removeListener(MonitorListener listener) {
    return listeners.remove(listener);
  }

  /** {@return the baseline} */
  public Baseline baseline() {
    return baseline;
  }

  /** {@return the configuration} */
  public DriftMonitorConfig config() {
    return config;
  }

  /** {@return the autoencoder's fingerprint (the baseline's, for a monitor of errors)} */
  public String autoencoderFingerprint() {
    return baseline.autoencoderFingerprint();
  }

  @Override
  public String toString() {
    return "DriftMonitor[expectedRunTime=" + config.expectedRunTime() + ", baseline " + baseline.id() + ", "
        + status() + "]";
  }

  /**
   * Builds a {@link DriftMonitor}: each setter validates at once; {@link #build()} checks that the
   * parts fit and calibrates the threshold (a second or so for an expected run time of 10,000,
   * ten times that for 100,000; cached with {@link #calibrationCache}). Not thread-safe; the
   * monitor it builds is.
   */
  public static final class Builder {
    private final Autoencoder autoencoder;
    private final Baseline baseline;
    private DriftMonitorConfig config = DriftMonitorConfig.ofDefaults();
    private final List<MonitorListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Path calibrationCache;

    private Builder(Autoencoder autoencoder, Baseline baseline) {
      this.autoencoder = autoencoder;
      this.baseline = Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * The expected run time and behaviour; default {@link DriftMonitorConfig#ofDefaults()}.
     *
     * @param config the config
     * @return this builder
     */
    public Builder config(DriftMonitorConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Adds a listener notified after every observation, on the observing thread.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(MonitorListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock that stamps observations and alarms; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A file that keeps calibrated thresholds between runs, e.g. beside the baseline
     * ({@link MonitorCalibrationCache#beside(Path)}): read if it holds this setting's threshold,
     * else written (atomically) once it is calibrated. A threshold depends on the baseline's size,
     * the expected run time and the confidence only, never on the errors themselves.
     *
     * @param file the cache file
     * @return this builder
     */
    public Builder calibrationCache(Path file) {
      this.calibrationCache = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Builds the monitor, calibrating its threshold.
     *
     * @return the monitor
     * @throws IncompatibleBaselineException if the baseline's shape or fingerprint does not match
     *     the autoencoder
     * @throws IllegalArgumentException if the baseline is too small for the expected run time and
     *     confidence asked, with the numbers, or has fewer than 20 errors; or images are to be
     *     retained by a monitor of errors, or against a baseline without per-pixel statistics
     * @throws java.io.UncheckedIOException if the calibration cache cannot be read or written
     */
    public DriftMonitor build() {
      if (autoencoder != null) {
        IncompatibleBaselineException.requireMatch(baseline, autoencoder);
      }
      if (baseline.count() < MonitorCalibrationCache.MIN_BASELINE) {
        throw new IllegalArgumentException("a monitor needs a baseline of at least " + MonitorCalibrationCache.MIN_BASELINE
            + " errors, but it held " + baseline.count());
      }
      return new DriftMonitor(this, MonitorCalibrationCache.acceptedThreshold(baseline.count(), config, calibrationCache),
          MonitorRetention.of(config.retainedImages(), autoencoder, baseline));
    }
  }
}
