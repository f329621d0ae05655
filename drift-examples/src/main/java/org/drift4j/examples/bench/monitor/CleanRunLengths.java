package org.drift4j.examples.bench.monitor;

/**
 * Run lengths on a clean stream: the images from a detector's start (or its last alarm) to its
 * next alarm, on one long seeded stream drawn with replacement from the clean pool, so that every
 * detector sees the same images. Given the one baseline the detectors hold, the run lengths are
 * independent and identically distributed; their mean estimates the conditional mean run length.
 * Stateless.
 */
final class CleanRunLengths {

  private static final int CHUNK = 4_096;
  /** A detector that has not alarmed this many times the expected run time per run is stopped. */
  private static final long CAP_FACTOR = 40;

  /**
   * One detector's clean run lengths.
   *
   * @param detector the detector's name
   * @param expectedRunTime the run time it was calibrated for
   * @param runs complete runs (alarms)
   * @param mean the mean run length (with a stopped last run counted, if any, as total images over alarms)
   * @param low lower end of its 95% interval (mean − 1.96 sd / √runs)
   * @param high upper end
   * @param median the median run length
   * @param censored whether the detector was stopped before its last run ended
   */
  record Row(String detector, long expectedRunTime, int runs, double mean, double low, double high, double median,
      boolean censored) {}

  private CleanRunLengths() {}

  /** Feeds {@code detector} the clean stream of {@code seed} until it has alarmed {@code runs} times. */
  static Row measure(StreamDetector detector, double[] clean, long expectedRunTime, int runs, long seed) {
    ErrorStream stream = new ErrorStream(clean, null, seed);
    detector.reset();
    long[] lengths = new long[runs];
    int done = 0;
    long images = 0;
    long lastAlarm = 0;
    long cap = CAP_FACTOR * expectedRunTime * runs;
    while (done < runs && images < cap) {
      double[] chunk = stream.clean(CHUNK);
      for (StreamDetector.Alarm a : detector.observe(chunk)) {
        long at = images + a.position() + 1;
        lengths[done++] = at - lastAlarm;
        lastAlarm = at;
        if (done == runs) {
          break;
        }
      }
      images += chunk.length;
    }
    boolean censored = done < runs;
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < done; i++) {
      sum += lengths[i];
      squares += (double) lengths[i] * lengths[i];
    }
    double mean = censored ? (sum + images - lastAlarm) / Math.max(1, done) : sum / done;
    double sd = done > 1 ? Math.sqrt(Math.max(0, (squares - sum * sum / done) / (done - 1))) : mean;
    double half = 1.959964 * sd / Math.sqrt(Math.max(1, done));
    long[] sorted = java.util.Arrays.copyOf(lengths, done);
    java.util.Arrays.sort(sorted);
    double median = done == 0 ? mean : sorted[(done - 1) / 2];
    return new Row(detector.name(), expectedRunTime, done, mean, Math.max(0, mean - half), mean + half, median,
        censored);
  }
}
