package org.drift4j.serve;

import org.drift4j.DriftReport;
import org.drift4j.MonitorObservation;

/**
 * What the server tells a client about one request's images, from a monitor's observation or a
 * detector's report, in the terms the drift servers' protocols share (alibi-detect's
 * {@code is_drift}, {@code distance}, {@code threshold}, {@code p_val}). Immutable.
 */
final class Verdict {

  private final MonitorObservation observation;
  private final DriftReport report;

  private Verdict(MonitorObservation observation, DriftReport report) {
    this.observation = observation;
    this.report = report;
  }

  static Verdict of(MonitorObservation observation) {
    return new Verdict(observation, null);
  }

  static Verdict of(DriftReport report) {
    return new Verdict(null, report);
  }

  /** {@return whether drift stands: an alarm these images raised or a latched one, or the batch's test} */
  boolean drift() {
    return observation != null ? observation.alarm() || observation.status().latched() : report.drift();
  }

  /** {@return the monitor's statistic, or the detector's test statistic} */
  double distance() {
    return observation != null ? observation.status().statistic() : report.decision().statistic();
  }

  /** {@return the level the monitor's statistic alarms at, or the detector's α} */
  double threshold() {
    return observation != null ? observation.status().threshold() : report.decision().threshold();
  }

  /** {@return the detector's p-value; NaN for a monitor, whose sequential statistic has none} */
  double pValue() {
    return observation != null ? Double.NaN : report.decision().pValue();
  }

  int size() {
    return observation != null ? observation.size() : report.batchSize();
  }

  double[] errors() {
    return observation != null ? observation.errors() : report.errors();
  }

  double[] imagePValues() {
    return observation != null ? observation.imagePValues() : report.imagePValues();
  }

  boolean[] outliers() {
    return observation != null ? observation.outliers() : report.outliers();
  }

  /** {@return the observation's or report's own JSON} */
  String json() {
    return observation != null ? observation.toJson() : report.toJson();
  }

  /** {@return what made it: DriftMonitor or DriftDetector} */
  String source() {
    return observation != null ? "DriftMonitor" : "DriftDetector";
  }
}
