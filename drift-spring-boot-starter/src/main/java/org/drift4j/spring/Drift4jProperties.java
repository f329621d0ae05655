package org.drift4j.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImagePreprocessing;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * The {@code drift4j.*} properties. Every value is checked when it is bound, at start-up, and a
 * wrong one stops the application with the key, the rule and the value, e.g.
 * {@code drift4j.monitor.expected-run-time must be at least 1, but was 0}. docs/spring.md has
 * the table.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled Whether Drift4j is auto-configured at all.
 * @param name What this service calls its monitor: the 'name' tag of every drift4j meter (keep it
 *     to a few fixed values, as any tag).
 * @param failOnMissingBaseline Whether start-up fails when the model or the baseline cannot be
 *     loaded or do not fit each other (missing, unreadable, another model's baseline, another
 *     preprocessing, too small for the expected run time). When false, the application starts
 *     without a DriftMonitor or DriftDetector bean (inject them as ObjectProvider), and the drift4j
 *     health indicator reports DOWN with the reason.
 * @param model The autoencoder.
 * @param baseline The baseline its errors are compared with.
 * @param monitor The stream monitor (DriftMonitor bean).
 * @param detector The per-batch detector (DriftDetector bean).
 * @param health The drift4j health indicator.
 */
@ConfigurationProperties("drift4j")
public record Drift4jProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("default") String name,
    @DefaultValue("true") boolean failOnMissingBaseline,
    @DefaultValue Model model,
    @DefaultValue Baseline baseline,
    @DefaultValue Monitor monitor,
    @DefaultValue Detector detector,
    @DefaultValue Health health) {

  /** Default of {@code drift4j.health.alarm-status}: a status of its own, answered with HTTP 200. */
  public static final String DEFAULT_ALARM_STATUS = "DEGRADED";

  /** Default of {@code drift4j.health.alarm-hold}. */
  public static final Duration DEFAULT_ALARM_HOLD = Duration.ofHours(1);

  private static final Pattern STATUS_CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  /**
   * Checks the top-level values.
   *
   * @param enabled whether Drift4j is auto-configured
   * @param name the {@code name} tag
   * @param failOnMissingBaseline whether a model or baseline that cannot be used fails start-up
   * @param model the autoencoder
   * @param baseline the baseline
   * @param monitor the monitor
   * @param detector the detector
   * @param health the health indicator
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Drift4jProperties {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("drift4j.name must not be blank (it tags every drift4j meter), but was '"
          + name + "'");
    }
    model = model == null ? new Model(null, Engine.ONNX, null) : model;
    baseline = baseline == null ? new Baseline(null, null) : baseline;
    monitor = monitor == null ? new Monitor(DriftMonitorConfig.DEFAULT_EXPECTED_RUN_TIME,
        DriftMonitorConfig.DEFAULT_CONFIDENCE, DriftMonitorConfig.AfterAlarm.RESTART,
        DriftMonitorConfig.DEFAULT_WINDOW_IMAGES, null) : monitor;
    detector = detector == null ? new Detector(org.drift4j.DriftDetectorConfig.DEFAULT_ALPHA) : detector;
    health = health == null ? new Health(DEFAULT_ALARM_STATUS, DEFAULT_ALARM_HOLD) : health;
  }

  /** The scoring engine of {@code drift4j.model.engine}. */
  public enum Engine {
    /** ONNX Runtime (drift-onnx, which the starter brings): any ONNX image autoencoder. */
    ONNX,
    /** DeepLearning4J (drift-dl4j, which the application adds): a model saved by Dl4jAutoencoder. */
    DL4J
  }

  /**
   * The autoencoder.
   *
   * @param location Where the model is: a Spring resource location, e.g. file:/models/model.onnx,
   *     classpath:drift/model.onnx or https://models.example.com/model.onnx. An ONNX model's
   *     verification record is read beside it (model.onnx.verification.json), so a verified
   *     export keeps its DL4J model's fingerprint and baseline.
   * @param engine The engine that scores it: onnx (drift-onnx) or dl4j (drift-dl4j must be on the
   *     class path).
   * @param threads ONNX: threads one call may use, the calling thread included; DL4J: calls that
   *     may score at once (one network copy each). Default: the number of available processors.
   */
  public record Model(@Nullable Resource location, @DefaultValue("onnx") Engine engine, @Nullable Integer threads) {

    /**
     * Checks the values.
     *
     * @param location where the model is
     * @param engine the engine
     * @param threads threads or network copies, or null for one per processor
     * @throws IllegalArgumentException if {@code location} is not set or {@code threads} is below 1
     */
    public Model {
      if (location == null) {
        throw new IllegalArgumentException("drift4j.model.location must be set to the model's location (file:,"
            + " classpath: or http(s): URL), but was not set");
      }
      engine = engine == null ? Engine.ONNX : engine;
      if (threads != null && threads < 1) {
        throw new IllegalArgumentException("drift4j.model.threads must be at least 1, but was " + threads);
      }
    }
  }

  /**
   * The baseline.
   *
   * @param location Where the baseline JSON is (BaselineStore's format): file:, classpath: or
   *     http(s): URL.
   * @param preprocessing The preprocessing this service applies to request images: none,
   *     resize:nearest, resize:bilinear or resize:area. When set, start-up fails unless the
   *     baseline records the same; when not set, use the baseline's
   *     (monitor.baseline().preprocessing()).
   */
  public record Baseline(@Nullable Resource location, @Nullable String preprocessing) {

    /**
     * Checks the values.
     *
     * @param location where the baseline is
     * @param preprocessing the preprocessing requests get, or null for the baseline's
     * @throws IllegalArgumentException if {@code location} is not set or {@code preprocessing}
     *     names no preprocessing
     */
    public Baseline {
      if (location == null) {
        throw new IllegalArgumentException("drift4j.baseline.location must be set to the baseline's location (file:,"
            + " classpath: or http(s): URL), but was not set");
      }
      if (preprocessing != null && !preprocessing.isBlank()) {
        try {
          ImagePreprocessing.parse(preprocessing.trim());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("drift4j.baseline.preprocessing must be none, resize:nearest,"
              + " resize:bilinear or resize:area, but was '" + preprocessing + "'", e);
        }
      } else {
        preprocessing = null;
      }
    }

    /** {@return the preprocessing requests get, if the service declared it} */
    public Optional<ImagePreprocessing> expectedPreprocessing() {
      return Optional.ofNullable(preprocessing).map(p -> ImagePreprocessing.parse(p.trim()));
    }
  }

  /**
   * The stream monitor.
   *
   * @param expectedRunTime The mean number of clean images between false alarms (the monitor
   *     promises it for a confidence share of baselines); larger is quieter and slower to alarm.
   * @param confidence The share of baselines for which the expected run time holds, in (0, 1).
   * @param afterAlarm What the monitor does after an alarm: restart (a fresh statistic, so the
   *     next alarm needs new evidence) or latch (stay raised until reset).
   * @param window How many recent images' errors are kept to summarise an alarm.
   * @param calibrationCache The file that keeps calibrated thresholds between runs. Default:
   *     beside the baseline (baseline.json.monitor-calibration.json) when the baseline is a file
   *     in a writable folder, else ${java.io.tmpdir}/drift4j/(baseline id).monitor-calibration.json.
   */
  public record Monitor(
      @DefaultValue("10000") long expectedRunTime,
      @DefaultValue("0.95") double confidence,
      @DefaultValue("restart") DriftMonitorConfig.AfterAlarm afterAlarm,
      @DefaultValue("1000") int window,
      @Nullable Path calibrationCache) {

    /**
     * Checks the values.
     *
     * @param expectedRunTime clean images between false alarms
     * @param confidence the share of baselines the promise holds for
     * @param afterAlarm restart or latch
     * @param window images kept to summarise an alarm
     * @param calibrationCache the cache file, or null for the default
     * @throws IllegalArgumentException if a value is out of range, naming the key
     */
    public Monitor {
      if (expectedRunTime < 1) {
        throw new IllegalArgumentException("drift4j.monitor.expected-run-time must be at least 1, but was "
            + expectedRunTime);
      }
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("drift4j.monitor.confidence must be greater than 0 and lower than 1, but was "
            + confidence);
      }
      afterAlarm = afterAlarm == null ? DriftMonitorConfig.AfterAlarm.RESTART : afterAlarm;
      if (window < 1 || window > 1_000_000) {
        throw new IllegalArgumentException("drift4j.monitor.window must be between 1 and 1000000, but was " + window);
      }
    }

    /** {@return these settings as the monitor's config} */
    public DriftMonitorConfig toConfig() {
      return DriftMonitorConfig.custom().expectedRunTime(expectedRunTime).confidence(confidence).afterAlarm(afterAlarm)
          .windowImages(window).build();
    }
  }

  /**
   * The per-batch detector.
   *
   * @param alpha The false-alarm rate of each check (DriftPolicy.rankTest(alpha)), in (0, 1).
   */
  public record Detector(@DefaultValue("0.01") double alpha) {

    /**
     * Checks the value.
     *
     * @param alpha the false-alarm rate
     * @throws IllegalArgumentException if {@code alpha} is not in (0, 1)
     */
    public Detector {
      if (!(alpha > 0 && alpha < 1)) {
        throw new IllegalArgumentException("drift4j.detector.alpha must be greater than 0 and lower than 1, but was "
            + alpha);
      }
    }
  }

  /**
   * The drift4j health indicator (management.health.drift4j.enabled turns it off).
   *
   * @param alarmStatus The health status while an alarm stands. DEGRADED (the default) is a status
   *     of its own, which Boot answers with HTTP 200 since a drifting model still serves; DOWN or
   *     OUT_OF_SERVICE answer 503. The starter adds DEGRADED to
   *     management.endpoint.health.status.order unless the application sets that order.
   * @param alarmHold How long the alarm status stands after an alarm when the monitor restarts
   *     (drift4j.monitor.after-alarm=restart), unless reset sooner through the drift4j endpoint or
   *     Drift4jAlarms.reset(); each new alarm starts it again. A latched alarm stands until reset.
   */
  public record Health(@DefaultValue(DEFAULT_ALARM_STATUS) String alarmStatus, @DefaultValue("1h") Duration alarmHold) {

    /**
     * Checks the values.
     *
     * @param alarmStatus the status code of an alarm
     * @param alarmHold how long a restarted alarm stands
     * @throws IllegalArgumentException if the code is not a word or the hold is negative
     */
    public Health {
      if (alarmStatus == null || !STATUS_CODE.matcher(alarmStatus).matches()) {
        throw new IllegalArgumentException("drift4j.health.alarm-status must be a status code of letters, digits, '_'"
            + " or '-' starting with a letter (e.g. DEGRADED, DOWN, OUT_OF_SERVICE), but was '" + alarmStatus + "'");
      }
      alarmStatus = alarmStatus.toUpperCase(Locale.ROOT).replace('-', '_');
      alarmHold = alarmHold == null ? DEFAULT_ALARM_HOLD : alarmHold;
      if (alarmHold.isNegative()) {
        throw new IllegalArgumentException("drift4j.health.alarm-hold must not be negative, but was " + alarmHold);
      }
    }
  }
}
