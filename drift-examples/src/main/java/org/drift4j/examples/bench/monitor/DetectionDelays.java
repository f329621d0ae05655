package org.drift4j.examples.bench.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detection delays: each run starts a detector afresh, feeds it τ − 1 clean images (τ uniform in
 * burnIn + 1 .. 2 burnIn) and then the scenario's images until it alarms; the delay is the number
 * of images from τ to the alarm, inclusive. A service that sends requests of R images learns of
 * the alarm when the request holding the alarmed image returns, so for requests of R (cut from
 * the detector's start) the delay runs to the end of that request: ⌈a / R⌉·R − τ + 1 for an alarm
 * at image a. The detectors decide image by image, so one run gives every request size. A run
 * whose detector alarms before τ is drawn again (the false alarms are counted), and a delay is
 * censored at {@code cap} images. Run r's stream (attempt a) depends only on the seed, the
 * scenario, r and a, so every detector sees the same images. Stateless.
 */
final class DetectionDelays {

  private static final int MAX_ATTEMPTS = 1_000;
  private static final int FIRST_CHUNK = 16;
  private static final int LAST_CHUNK = 4_096;

  /**
   * One detector's delays on one scenario, for one request size.
   *
   * @param scenario the scenario's name
   * @param detector the detector's name
   * @param expectedRunTime the run time it was calibrated for
   * @param requestSize the images per request: the delay runs to the end of the alarmed request
   * @param runs runs
   * @param median the median delay (censored runs count as the cap)
   * @param medianLow lower end of the median's 95% interval (order statistics)
   * @param medianHigh upper end
   * @param mean the mean delay (censored runs count as the cap)
   * @param meanLow lower end of the mean's 95% interval (mean − 1.96 sd / √runs)
   * @param meanHigh upper end
   * @param censored runs that reached the cap without an alarm
   * @param falseAlarms alarms before the change, whose runs were drawn again
   * @param changePointError the median of (estimated − true) first drifted image over alarmed runs,
   *     null if the detector makes no estimate or never alarmed
   * @param changePointAbsError the median absolute error of that estimate
   */
  record Row(String scenario, String detector, long expectedRunTime, int requestSize, int runs, double median,
      double medianLow, double medianHigh, double mean, double meanLow, double meanHigh, int censored,
      long falseAlarms, Double changePointError, Double changePointAbsError) {}

  private DetectionDelays() {}

  /** Runs {@code runs} change points of {@code scenario} through {@code detector}, for requests of 1 image. */
  static Row measure(StreamDetector detector, double[] clean, Scenario scenario, int scenarioIndex, long expectedRunTime,
      int runs, int burnIn, long cap, long seed) {
    return measure(detector, clean, scenario, scenarioIndex, expectedRunTime, runs, burnIn, cap, seed, new int[] {1})
        .get(0);
  }

  /**
   * Runs {@code runs} change points of {@code scenario} through {@code detector}; one row per
   * request size, in the order given.
   */
  static List<Row> measure(StreamDetector detector, double[] clean, Scenario scenario, int scenarioIndex,
      long expectedRunTime, int runs, int burnIn, long cap, long seed, int[] requestSizes) {
    long[] alarmedAt = new long[runs]; // 1-based image since the start of the run; 0 when censored
    long[] change = new long[runs]; // τ
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
        change[r] = tau;
        if (alarm == null) {
          censored++;
        } else {
          alarmedAt[r] = tau - 1 + fed + alarm.position() + 1;
          if (alarm.changePoint() >= 0) {
            cpErrors[estimated++] = alarm.changePoint() - (tau - 1);
          }
        }
        break;
      }
    }
    Double cpError = null;
    Double cpAbs = null;
    if (estimated > 0) {
      double[] e = Arrays.copyOf(cpErrors, estimated);
      double[] abs = Arrays.stream(e).map(Math::abs).sorted().toArray();
      Arrays.sort(e);
      cpError = median(e);
      cpAbs = median(abs);
    }
    List<Row> rows = new ArrayList<>(requestSizes.length);
    int[] ci = medianInterval(runs);
    for (int size : requestSizes) {
      double[] delays = new double[runs];
      for (int r = 0; r < runs; r++) {
        delays[r] = alarmedAt[r] == 0 ? cap : (alarmedAt[r] + size - 1) / size * size - change[r] + 1;
      }
      double mean = Arrays.stream(delays).average().orElseThrow();
      double squares = Arrays.stream(delays).map(d -> (d - mean) * (d - mean)).sum();
      double half = runs > 1 ? 1.959964 * Math.sqrt(squares / (runs - 1) / runs) : 0;
      double[] sorted = delays.clone();
      Arrays.sort(sorted);
      rows.add(new Row(scenario.name(), detector.name(), expectedRunTime, size, runs, median(sorted), sorted[ci[0]],
          sorted[ci[1]], mean, Math.max(0, mean - half), mean + half, censored, falseAlarms, cpError, cpAbs));
    }
    return rows;
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
