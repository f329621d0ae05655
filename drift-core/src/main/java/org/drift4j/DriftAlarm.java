package org.drift4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link DriftMonitor}'s alarm: the stream of images no longer looks like the baseline.
 *
 * <p>Immutable and thread-safe.
 *
 * @param number 1-based count of this monitor's alarms
 * @param time when the alarm was raised, from the monitor's clock
 * @param image 0-based index, in the stream, of the image whose arrival raised it
 * @param statistic the monitor's statistic at that image
 * @param threshold the level it reached
 * @param cause in words, the alternative the stream looked most like, e.g. "errors up (AUC 0.75)"
 * @param changePoint 0-based index of the first image of the estimated drift (at most {@code image})
 * @param window what the images since {@code changePoint} looked like
 * @param baselineId {@link Baseline#id()} of the baseline compared against
 * @param autoencoderFingerprint the autoencoder's fingerprint
 */
public record DriftAlarm(long number, Instant time, long image, double statistic, double threshold, String cause,
    long changePoint, Window window, String baselineId, String autoencoderFingerprint) {

  /**
   * The images since the estimated change, summarised from the errors the monitor keeps
   * ({@link DriftMonitorConfig#windowImages()}).
   *
   * @param images images from the change point to the alarm, inclusive
   * @param summarised how many of the most recent of them the figures below cover
   * @param meanError their mean error
   * @param baselineMeanError the baseline's mean error
   * @param outlierShare the share of them beyond the baseline's outlier quantile
   * @param expectedOutlierShare that share on clean images, 1 − the outlier quantile
   */
  public record Window(long images, int summarised, double meanError, double baselineMeanError, double outlierShare,
      double expectedOutlierShare) {}

  /**
   * Checks the fields.
   *
   * @param number 1-based count of this monitor's alarms
   * @param time when the alarm was raised
   * @param image index of the image whose arrival raised it
   * @param statistic the statistic at that image
   * @param threshold the level it reached
   * @param cause the alternative the stream looked most like
   * @param changePoint index of the first image of the estimated drift
   * @param window the images since the change point
   * @param baselineId the baseline's id
   * @param autoencoderFingerprint the autoencoder's fingerprint
   * @throws IllegalArgumentException if the change point lies after the image
   */
  public DriftAlarm {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(baselineId, "baselineId");
    Objects.requireNonNull(autoencoderFingerprint, "autoencoderFingerprint");
    if (changePoint > image) {
      throw new IllegalArgumentException("changePoint must be at most image " + image + ", but was " + changePoint);
    }
  }

  /** {@return this alarm as a JSON object} */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(tree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise an alarm", e);
    }
  }

  ObjectNode tree() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("alarm", true);
    node.put("number", number);
    node.put("time", time.toString());
    node.put("image", image);
    Json.putNumber(node, "statistic", statistic);
    Json.putNumber(node, "threshold", threshold);
    node.put("cause", cause);
    node.put("changePoint", changePoint);
    ObjectNode w = node.putObject("window");
    w.put("images", window.images());
    w.put("summarised", window.summarised());
    Json.putNumber(w, "meanError", window.meanError());
    Json.putNumber(w, "baselineMeanError", window.baselineMeanError());
    Json.putNumber(w, "outlierShare", window.outlierShare());
    Json.putNumber(w, "expectedOutlierShare", window.expectedOutlierShare());
    node.put("baselineId", baselineId);
    node.put("autoencoderFingerprint", autoencoderFingerprint);
    return node;
  }
}
