package org.drift4j;

/**
 * One of the most anomalous images of a {@link DriftExplanation}: where it was, its error and
 * conformal p-value against the baseline, its pixels, its reconstruction and its per-pixel errors
 * (all CHW, of the explanation's shape).
 *
 * <p>Immutable and thread-safe: array accessors return copies.
 */
public final class ExplainedImage {

  private final long index;
  private final double error;
  private final double pValue;
  private final float[] input;
  private final float[] reconstruction;
  private final float[] errorMap;

  ExplainedImage(long index, double error, double pValue, float[] input, float[] reconstruction, float[] errorMap) {
    this.index = index;
    this.error = error;
    this.pValue = pValue;
    this.input = input;
    this.reconstruction = reconstruction;
    this.errorMap = errorMap;
  }

  /**
   * {@return the image's index: its place in the batch explained, or, for a monitor's window, its
   * 0-based index in the monitor's stream}
   */
  public long index() {
    return index;
  }

  /** {@return the image's error (the mean of its per-pixel errors)} */
  public double error() {
    return error;
  }

  /** {@return its conformal upper-tail p-value against the baseline ({@link Baseline#upperTailPValue})} */
  public double pValue() {
    return pValue;
  }

  /** {@return a copy of the image's pixels, CHW} */
  public float[] input() {
    return input.clone();
  }

  /** {@return a copy of the autoencoder's reconstruction of it, CHW} */
  public float[] reconstruction() {
    return reconstruction.clone();
  }

  /** {@return a copy of its per-pixel errors ({@link ReconstructionError#pixelErrors}), CHW} */
  public float[] errorMap() {
    return errorMap.clone();
  }

  /** The arrays without a copy, for this library's rendering and JSON. */
  float[] inputView() {
    return input;
  }

  float[] reconstructionView() {
    return reconstruction;
  }

  float[] errorMapView() {
    return errorMap;
  }

  @Override
  public String toString() {
    return "ExplainedImage[index=" + index + ", error=" + Decimals.significant(error, 5) + ", p="
        + Decimals.significant(pValue, 3) + "]";
  }
}
