package org.drift4j.examples.cli;

import org.drift4j.DriftMonitorConfig;
import picocli.CommandLine.Option;

/** The monitor's calibration options, shared by the commands that build a {@code DriftMonitor}. */
final class RunTimeOptions {

  @Option(names = "--ert", defaultValue = "" + DriftMonitorConfig.DEFAULT_EXPECTED_RUN_TIME, paramLabel = "N",
      description = "expected run time: clean images between false alarms, on average (default ${DEFAULT-VALUE})")
  long expectedRunTime;

  @Option(names = "--confidence", defaultValue = "" + DriftMonitorConfig.DEFAULT_CONFIDENCE, paramLabel = "C",
      description = "share of baselines for which the run time holds (default ${DEFAULT-VALUE})")
  double confidence;

  /** A config builder with these options set; its build() throws IllegalArgumentException for bad values. */
  DriftMonitorConfig.Builder config() {
    return DriftMonitorConfig.custom().expectedRunTime(expectedRunTime).confidence(confidence);
  }
}
