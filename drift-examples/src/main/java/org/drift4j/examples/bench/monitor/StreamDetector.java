package org.drift4j.examples.bench.monitor;

import java.util.List;

/**
 * An online drift detector fed with per-image errors: the library's {@code DriftMonitor} and the
 * comparators behind one face, so that the harness feeds them the same streams. After each alarm
 * a detector starts afresh, as the library's monitor does by default. Not thread-safe.
 */
public interface StreamDetector {

  /**
   * One alarm.
   *
   * @param position 0-based position, within the errors of the call, of the image that raised it
   * @param changePoint the estimated first drifted image, as a 0-based index since the last
   *     {@link #reset()}, or -1 if the detector makes no estimate
   */
  record Alarm(int position, long changePoint) {}

  /** {@return a short name for tables, e.g. "rankTest m=10"} */
  String name();

  /** Forgets the stream: the next image is the first of a new one. */
  void reset();

  /**
   * Feeds the next images.
   *
   * @param errors their errors, in stream order
   * @return the alarms they raised, in stream order (usually none)
   */
  List<Alarm> observe(double[] errors);
}
