package org.drift4j.examples.bench.monitor;

import java.util.List;

/**
 * What {@link MonitorPower#run} measured, as written to {@code monitor.json}.
 *
 * @param date when the run started (ISO-8601)
 * @param engine the scoring engine's class
 * @param modelFingerprint the model's fingerprint
 * @param errorMeasure the error measure
 * @param images the clean images given
 * @param baselineSize the baseline's size, drawn from them
 * @param poolSize the other images, from which clean streams are drawn with replacement
 * @param baselineId the baseline's id
 * @param settings the settings
 * @param calibrations the library monitor's threshold per expected run time
 * @param clean clean run lengths per expected run time and detector
 * @param delays detection delays per expected run time, scenario and detector
 * @param seconds how long the run took
 */
public record MonitorPowerResult(String date, String engine, String modelFingerprint, String errorMeasure, int images,
    int baselineSize, int poolSize, String baselineId, MonitorPower.Settings settings, List<Calibration> calibrations,
    List<CleanRunLengths.Row> clean, List<DetectionDelays.Row> delays, double seconds) {

  /**
   * The library monitor's calibration for one expected run time.
   *
   * @param expectedRunTime the expected run time
   * @param threshold the calibrated threshold A, null if the monitor refused the setting
   * @param thresholdPerRunTime A / ERT, null if refused
   * @param seconds how long {@code build()} took
   * @param refusal the refusal's message, null if accepted
   */
  public record Calibration(long expectedRunTime, Double threshold, Double thresholdPerRunTime, double seconds,
      String refusal) {}
}
