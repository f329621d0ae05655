package org.drift4j;

/**
 * Callback notified by a {@link DriftMonitor}, e.g. to raise an alert or record metrics.
 *
 * <p>Called on the thread that called {@link DriftMonitor#observe}, after the monitor's lock is
 * released; observations of concurrent calls may therefore arrive out of stream order (each says
 * where it lies, {@link MonitorObservation#firstImage()}). Implementations must be thread-safe and
 * quick. An exception thrown by a listener is logged and swallowed: it never breaks
 * {@code observe} nor stops the other listeners.
 */
public interface MonitorListener {

  /**
   * Called for every observation.
   *
   * @param observation what the call scored and where the monitor stands
   */
  default void onObservation(MonitorObservation observation) {}

  /**
   * Called for each alarm, after {@link #onObservation} for the observation that raised it.
   *
   * @param alarm the alarm
   */
  default void onAlarm(DriftAlarm alarm) {}
}
