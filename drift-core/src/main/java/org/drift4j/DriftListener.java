package org.drift4j;

/**
 * Callback notified by a {@link DriftDetector} after each check, for example to raise an alert or
 * record metrics.
 *
 * <p>Called on the thread that called {@link DriftDetector#check}, after the report is built;
 * implementations must be thread-safe and quick (hand slow work to an executor). An exception
 * thrown by a listener is logged and swallowed: it never breaks {@code check} nor stops the other
 * listeners.
 */
public interface DriftListener {

  /**
   * Called for every report, drifted or not.
   *
   * @param report the check's report
   */
  default void onReport(DriftReport report) {}

  /**
   * Called for reports whose {@link DriftReport#drift()} is true, after {@link #onReport}.
   *
   * @param report the check's report
   */
  default void onDrift(DriftReport report) {}
}
