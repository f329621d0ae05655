package org.drift4j;

/**
 * Thrown when a baseline does not belong to the autoencoder it is used with: another model
 * (fingerprint), another image shape or another error measure. Comparing errors across those
 * would raise false alarms or hide real drift.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class IncompatibleBaselineException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  IncompatibleBaselineException(String message) {
    super(message);
  }

  /**
   * Throws if {@code baseline} was not computed with {@code autoencoder}: its shape and
   * fingerprint must match the model's.
   */
  static void requireMatch(Baseline baseline, org.drift4j.spi.Autoencoder autoencoder) {
    if (!baseline.shape().equals(autoencoder.inputShape())) {
      throw new IncompatibleBaselineException("baseline image shape must equal the autoencoder's input shape "
          + autoencoder.inputShape() + ", but was " + baseline.shape());
    }
    if (!baseline.autoencoderFingerprint().equals(autoencoder.fingerprint())) {
      throw new IncompatibleBaselineException("baseline was computed with autoencoder " + baseline.autoencoderFingerprint()
          + ", but the detector's autoencoder is " + autoencoder.fingerprint()
          + "; recompute the baseline with this model (Baseline.compute)");
    }
  }
}
