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
 * @param profiles what each scenario's drifted images look like to a rank statistic
 * @param seconds how long the run took
 */
public record MonitorPowerResult(String date, String engine, String modelFingerprint, String errorMeasure, int images,
    int baselineSize, int poolSize, String baselineId, MonitorPower.Settings settings, List<Calibration> calibrations,
    List<CleanRunLengths.Row> clean, List<DetectionDelays.Row> delays, List<RankProfile> profiles, double seconds) {

  /**
   * The law of a scenario's drifted images' conformal ranks among the baseline errors: why a shift
   * is fast or slow to detect, and which of the monitor's alternatives it resembles.
   *
   * @param scenario the scenario's name
   * @param fraction the share of drifted images in the stream
   * @param auc P(drifted error > baseline error) + half the ties: 0.5 is no location shift
   * @param deciles the share of drifted images in each tenth of the baseline's errors, lowest first
   * @param klPerImage the Kullback–Leibler divergence of the stream's rank law (the mixture at
   *     {@code fraction}) from the uniform, in nats per image, over 20 equal bins: the best any
   *     detector can do is a delay of about log(ERT) / klPerImage images
   */
  public record RankProfile(String scenario, double fraction, double auc, double[] deciles, double klPerImage) {

    /**
     * Copies the deciles.
     *
     * @param scenario the scenario's name
     * @param fraction the share of drifted images
     * @param auc the AUC against the baseline
     * @param deciles the share in each tenth of the baseline's errors
     * @param klPerImage the divergence from clean per image
     */
    public RankProfile {
      deciles = deciles.clone();
    }

    /** {@return the share of drifted images in each tenth of the baseline's errors (a copy)} */
    @Override
    public double[] deciles() {
      return deciles.clone();
    }
  }


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
