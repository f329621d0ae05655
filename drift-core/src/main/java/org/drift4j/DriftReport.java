package org.drift4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one {@link DriftDetector#check}: the decision, the evidence behind it, per-image
 * errors and outlier flags, and which baseline and autoencoder produced it.
 *
 * <p>Immutable and thread-safe: array accessors return copies.
 */
public final class DriftReport {

  private final PolicyDecision decision;
  private final String policy;
  private final double[] errors;
  private final double[] imagePValues;
  private final boolean[] outliers;
  private final double outlierQuantile;
  private final double outlierThreshold;
  private final double batchMeanError;
  private final double baselineMeanError;
  private final ReconstructionError errorMeasure;
  private final String baselineId;
  private final String autoencoderFingerprint;
  private final Instant timestamp;
  private final Duration duration;

  DriftReport(PolicyDecision decision, String policy, double[] errors, double[] imagePValues, boolean[] outliers,
      double outlierQuantile, double outlierThreshold, Baseline baseline, Instant timestamp, Duration duration) {
    this.decision = Objects.requireNonNull(decision);
    this.policy = policy;
    this.errors = errors;
    this.imagePValues = imagePValues;
    this.outliers = outliers;
    this.outlierQuantile = outlierQuantile;
    this.outlierThreshold = outlierThreshold;
    this.batchMeanError = Checks.mean(errors);
    this.baselineMeanError = baseline.mean();
    this.errorMeasure = baseline.errorMeasure();
    this.baselineId = baseline.id();
    this.autoencoderFingerprint = baseline.autoencoderFingerprint();
    this.timestamp = timestamp;
    this.duration = duration;
  }

  /** {@return whether the policy judged the batch to have drifted} */
  public boolean drift() {
    return decision.drift();
  }

  /** {@return the policy's full decision} */
  public PolicyDecision decision() {
    return decision;
  }

  /** {@return the policy's name} */
  public String policy() {
    return policy;
  }

  /** {@return the number of images checked} */
  public int batchSize() {
    return errors.length;
  }

  /** {@return the mean error of the batch} */
  public double batchMeanError() {
    return batchMeanError;
  }

  /** {@return the mean error of the baseline} */
  public double baselineMeanError() {
    return baselineMeanError;
  }

  /** {@return the (batch mean − baseline mean) / baseline mean; +0.44 means 44% higher} */
  public double relativeIncrease() {
    return (batchMeanError - baselineMeanError) / baselineMeanError;
  }

  /** {@return the per-image errors, in batch order (a copy)} */
  public double[] errors() {
    return errors.clone();
  }

  /** {@return the per-image conformal upper-tail p-values against the baseline, in batch order (a copy)} */
  public double[] imagePValues() {
    return imagePValues.clone();
  }

  /** {@return the per-image outlier flags: error above the baseline's {@link #outlierQuantile()} (a copy)} */
  public boolean[] outliers() {
    return outliers.clone();
  }

  /** {@return the number of images flagged as outliers} */
  public int outlierCount() {
    int count = 0;
    for (boolean o : outliers) {
      count += o ? 1 : 0;
    }
    return count;
  }

  /** {@return the baseline quantile beyond which an image is an outlier} */
  public double outlierQuantile() {
    return outlierQuantile;
  }

  /** {@return the error at that quantile} */
  public double outlierThreshold() {
    return outlierThreshold;
  }

  /** {@return the error measure} */
  public ReconstructionError errorMeasure() {
    return errorMeasure;
  }

  /** {@return {@link Baseline#id()} of the baseline compared against} */
  public String baselineId() {
    return baselineId;
  }

  /** {@return the fingerprint of the autoencoder that reconstructed the batch} */
  public String autoencoderFingerprint() {
    return autoencoderFingerprint;
  }

  /** {@return when the check finished, from the detector's clock} */
  public Instant timestamp() {
    return timestamp;
  }

  /** {@return the time taken by the check (reconstruction, scoring and decision)} */
  public Duration duration() {
    return duration;
  }

  /** {@return this report as a JSON object (NaN values are written as {@code null})} */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(Json.report(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise a drift report", e);
    }
  }

  @Override
  public String toString() {
    return String.format("DriftReport[drift=%s, p=%.4g, n=%d, mean=%.5g (baseline %.5g, %+.1f%%), outliers=%d, %s]",
        drift(), decision.pValue(), batchSize(), batchMeanError, baselineMeanError, 100 * relativeIncrease(),
        outlierCount(), decision.detail());
  }
}
