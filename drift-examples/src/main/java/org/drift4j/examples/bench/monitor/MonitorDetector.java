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

  private final DriftMonitor monitor;
  private final double calibrationSeconds;
  private long resetAt;

  private MonitorDetector(DriftMonitor monitor, double calibrationSeconds) {
    this.monitor = monitor;
    this.calibrationSeconds = calibrationSeconds;
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
    long t0 = System.nanoTime();
    DriftMonitor monitor = DriftMonitor.builder(baseline)
        .config(DriftMonitorConfig.custom().expectedRunTime(expectedRunTime).build()).build();
    return new MonitorDetector(monitor, (System.nanoTime() - t0) / 1e9);
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
    return "DriftMonitor";
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
