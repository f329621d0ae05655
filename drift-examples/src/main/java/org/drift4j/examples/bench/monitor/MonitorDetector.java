package org.drift4j.examples.bench.monitor;

import java.util.ArrayList;
import java.util.List;
import org.drift4j.Baseline;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.MonitorObservation;

/**
 * The library's {@link DriftMonitor}, driven through its public API as a service would drive it:
 * built for errors ({@code DriftMonitor.builder(baseline)}), fed with
 * {@link DriftMonitor#observeErrors}, restarted with {@link DriftMonitor#reset()}. Not
 * thread-safe (the harness gives each detector one thread).
 */
public final class MonitorDetector implements StreamDetector {

  /** The name of the monitor at a confidence other than the default: "DriftMonitor c=0.5". */
  static final String AT_CONFIDENCE = "DriftMonitor c=";

  private final DriftMonitor monitor;
  private final double calibrationSeconds;
  private final String name;
  private long resetAt;

  private MonitorDetector(DriftMonitor monitor, double calibrationSeconds, String name) {
    this.monitor = monitor;
    this.calibrationSeconds = calibrationSeconds;
    this.name = name;
  }

  /**
   * Builds the monitor, calibrating its threshold (timed).
   *
   * @param baseline the baseline
   * @param expectedRunTime the expected run time
   * @return the detector
   * @throws IllegalArgumentException if the monitor refuses the baseline for that run time
   */
  public static MonitorDetector build(Baseline baseline, long expectedRunTime) {
    return build(baseline, expectedRunTime, DriftMonitorConfig.DEFAULT_CONFIDENCE);
  }

  /**
   * Builds the monitor at a confidence of its own (the share of baselines its promise holds for),
   * calibrating its threshold (timed). At 0.5 it is calibrated for the median baseline, which is
   * close to how the comparators are calibrated (on average over baselines).
   *
   * @param baseline the baseline
   * @param expectedRunTime the expected run time
   * @param confidence the confidence
   * @return the detector, named "DriftMonitor" at the default confidence, else "DriftMonitor c=" and
   *     the confidence
   * @throws IllegalArgumentException if the monitor refuses the baseline for that run time
   */
  public static MonitorDetector build(Baseline baseline, long expectedRunTime, double confidence) {
    long t0 = System.nanoTime();
    DriftMonitor monitor = DriftMonitor.builder(baseline)
        .config(DriftMonitorConfig.custom().expectedRunTime(expectedRunTime).confidence(confidence).build()).build();
    String name = confidence == DriftMonitorConfig.DEFAULT_CONFIDENCE ? "DriftMonitor" : AT_CONFIDENCE + confidence;
    return new MonitorDetector(monitor, (System.nanoTime() - t0) / 1e9, name);
  }

  /** {@return the calibrated threshold A} */
  public double threshold() {
    return monitor.status().threshold();
  }

  /** {@return the seconds {@code build()} took, the calibration almost entirely} */
  public double calibrationSeconds() {
    return calibrationSeconds;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void reset() {
    monitor.reset();
    resetAt = monitor.status().images();
  }

  @Override
  public List<Alarm> observe(double[] errors) {
    MonitorObservation seen = monitor.observeErrors(errors);
    if (!seen.alarm()) {
      return List.of();
    }
    List<Alarm> alarms = new ArrayList<>(seen.alarms().size());
    for (DriftAlarm a : seen.alarms()) {
      alarms.add(new Alarm((int) (a.image() - seen.firstImage()), a.changePoint() - resetAt));
    }
    return alarms;
  }
}
