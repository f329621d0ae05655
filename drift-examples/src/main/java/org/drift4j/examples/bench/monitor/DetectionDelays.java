package org.drift4j.examples.bench.monitor;

import java.util.Arrays;
import java.util.List;

/**
 * Detection delays: each run starts a detector afresh, feeds it τ − 1 clean images (τ uniform in
 * burnIn + 1 .. 2 burnIn) and then the scenario's images until it alarms; the delay is the number
 * of images from τ to the alarm, inclusive. A run whose detector alarms before τ is drawn again
 * (the false alarms are counted), and a delay is censored at {@code cap} images. Run r's stream
 * (attempt a) depends only on the seed, the scenario, r and a, so every detector sees the same
 * images. Stateless.
 */
final class DetectionDelays {

  private static final int MAX_ATTEMPTS = 1_000;
  private static final int FIRST_CHUNK = 16;
  private static final int LAST_CHUNK = 4_096;

  /**
   * One detector's delays on one scenario.
   *
   * @param scenario the scenario's name
   * @param detector the detector's name
   * @param expectedRunTime the run time it was calibrated for
   * @param runs runs
   * @param median the median delay (censored runs count as the cap)
   * @param medianLow lower end of the median's 95% interval (order statistics)
   * @param medianHigh upper end
   * @param mean the mean delay (censored runs count as the cap)
   * @param censored runs that reached the cap without an alarm
   * @param falseAlarms alarms before the change, whose runs were drawn again
   * @param changePointError the median of (estimated − true) first drifted image over alarmed runs,
   *     null if the detector makes no estimate or never alarmed
   * @param changePointAbsError the median absolute error of that estimate
   */
  record Row(String scenario, String detector, long expectedRunTime, int runs, double median, double medianLow,
      double medianHigh, double mean, int censored, long falseAlarms, Double changePointError,
      Double changePointAbsError) {}

  private DetectionDelays() {}

  /** Runs {@code runs} change points of {@code scenario} through {@code detector}. */
  static Row measure(StreamDetector detector, double[] clean, Scenario scenario, int scenarioIndex, long expectedRunTime,
      int runs, int burnIn, long cap, long seed) {
    double[] delays = new double[runs];
    double[] cpErrors = new double[runs];
    int estimated = 0;
    int censored = 0;
    long falseAlarms = 0;
    for (int r = 0; r < runs; r++) {
      for (int attempt = 0; ; attempt++) {
        ErrorStream stream = new ErrorStream(clean, scenario, ErrorStream.seed(seed, scenarioIndex, r, attempt));
        int tau = burnIn + 1 + stream.nextInt(burnIn); // 1-based index of the first drifted image
        detector.reset();
        if (!detector.observe(stream.clean(tau - 1)).isEmpty() && attempt + 1 < MAX_ATTEMPTS) {
          falseAlarms++;
          continue;
        }
        StreamDetector.Alarm alarm = null;
        long fed = 0;
        int size = FIRST_CHUNK;
        while (alarm == null && fed < cap) {
          int k = (int) Math.min(size, cap - fed);
          List<StreamDetector.Alarm> alarms = detector.observe(stream.drifted(k));
          if (alarms.isEmpty()) {
            fed += k;
            size = Math.min(LAST_CHUNK, 2 * size);
          } else {
            alarm = alarms.get(0);
          }
        }
        if (alarm == null) {
          delays[r] = cap;
          censored++;
        } else {
          delays[r] = fed + alarm.position() + 1;
          if (alarm.changePoint() >= 0) {
            cpErrors[estimated++] = alarm.changePoint() - (tau - 1);
          }
        }
        break;
      }
    }
    double[] sorted = delays.clone();
    Arrays.sort(sorted);
    int[] ci = medianInterval(runs);
    Double cpError = null;
    Double cpAbs = null;
    if (estimated > 0) {
      double[] e = Arrays.copyOf(cpErrors, estimated);
      double[] abs = Arrays.stream(e).map(Math::abs).sorted().toArray();
      Arrays.sort(e);
      cpError = median(e);
      cpAbs = median(abs);
    }
    return new Row(scenario.name(), detector.name(), expectedRunTime, runs, median(sorted), sorted[ci[0]],
        sorted[ci[1]], Arrays.stream(delays).average().orElseThrow(), censored, falseAlarms, cpError, cpAbs);
  }

  /** The median of sorted values (the mean of the middle two for an even count). */
  static double median(double[] sorted) {
    int k = sorted.length;
    return k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
  }

  /**
   * 0-based order statistics that bracket the median with about 95% confidence, whatever the
   * law: j and k with j ≈ runs / 2 − 1.96 √runs / 2 (the normal approximation of the binomial).
   */
  static int[] medianInterval(int runs) {
    double half = 1.959964 * Math.sqrt(runs) / 2;
    int lo = (int) Math.max(0, Math.floor(runs / 2.0 - half) - 1);
    int hi = (int) Math.min(runs - 1, Math.ceil(runs / 2.0 + half));
    return new int[] {lo, hi};
  }
}
