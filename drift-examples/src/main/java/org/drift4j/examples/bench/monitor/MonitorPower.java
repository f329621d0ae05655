package org.drift4j.examples.bench.monitor;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.drift4j.Baseline;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.examples.Measures;
import org.drift4j.examples.bench.PowerTest;
import org.drift4j.examples.bench.Shifts;
import org.drift4j.spi.Autoencoder;

/**
 * The monitor's self-test on a user's clean images: the library's {@code DriftMonitor} against the
 * per-batch rank test and an online Cramér–von Mises monitor, all on the same error streams. One
 * baseline is drawn from the images (seeded); the rest form the pool that clean streams, and the
 * shifted versions of the same images, are drawn from with replacement. Errors are computed once
 * with the model, then streamed. Measures (1) the run length on clean streams against the expected
 * run time, given that one baseline, and (2) the detection delay after a change to each built-in
 * shift. Stateless; a run uses every core.
 */
public final class MonitorPower {

  /**
   * What to measure.
   *
   * @param expectedRunTimes the expected run times (ERT) every detector is calibrated for
   * @param baselineSize the baseline's size
   * @param cleanRuns clean runs (alarms) per detector and ERT
   * @param delayRuns change points per detector, scenario and ERT
   * @param batchSizes the per-batch comparator's batch sizes
   * @param windows the CvM comparator's window sizes
   * @param burnIn the change comes after b to 2b clean images, b = min(burnIn, ERT / 10), so that
   *     few runs alarm before it (those are drawn again)
   * @param seed the seed of the baseline's draw, the shifts and the streams
   * @param requestSizes the request sizes delays are reported for (to the end of the alarmed request)
   */
  public record Settings(long[] expectedRunTimes, int baselineSize, int cleanRuns, int delayRuns, int[] batchSizes,
      int[] windows, int burnIn, long seed, int[] requestSizes) {

    /**
     * Checks the settings.
     *
     * @param expectedRunTimes the expected run times
     * @param baselineSize the baseline's size
     * @param cleanRuns clean runs
     * @param delayRuns change points
     * @param batchSizes the batch sizes
     * @param windows the window sizes
     * @param burnIn the burn-in
     * @param seed the seed
     * @param requestSizes the request sizes
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public Settings {
      require(expectedRunTimes.length > 0 && Arrays.stream(expectedRunTimes).allMatch(e -> e >= 2),
          "expected run times must be at least 2 images each, but were " + Arrays.toString(expectedRunTimes));
      require(baselineSize >= 20, "baselineSize must be at least 20, but was " + baselineSize);
      require(cleanRuns >= 2, "cleanRuns must be at least 2, but was " + cleanRuns);
      require(delayRuns >= 2, "delayRuns must be at least 2, but was " + delayRuns);
      require(Arrays.stream(batchSizes).allMatch(m -> m >= 1), "batch sizes must be at least 1, but were "
          + Arrays.toString(batchSizes));
      require(Arrays.stream(windows).allMatch(w -> w >= 2), "windows must hold at least 2 images, but were "
          + Arrays.toString(windows));
      require(burnIn >= 1, "burnIn must be at least 1 image, but was " + burnIn);
      require(requestSizes.length > 0 && Arrays.stream(requestSizes).allMatch(r -> r >= 1),
          "request sizes must be at least 1 image each, but were " + Arrays.toString(requestSizes));
      expectedRunTimes = expectedRunTimes.clone();
      requestSizes = requestSizes.clone();
      batchSizes = batchSizes.clone();
      windows = windows.clone();
    }

    /**
     * Settings whose delays are for requests of 1 image.
     *
     * @param expectedRunTimes the expected run times
     * @param baselineSize the baseline's size
     * @param cleanRuns clean runs
     * @param delayRuns change points
     * @param batchSizes the batch sizes
     * @param windows the window sizes
     * @param burnIn the burn-in
     * @param seed the seed
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public Settings(long[] expectedRunTimes, int baselineSize, int cleanRuns, int delayRuns, int[] batchSizes,
        int[] windows, int burnIn, long seed) {
      this(expectedRunTimes, baselineSize, cleanRuns, delayRuns, batchSizes, windows, burnIn, seed, new int[] {1});
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  private MonitorPower() {}

  /**
   * Measures.
   *
   * @param autoencoder the model
   * @param measure the model's error measure (its baseline's)
   * @param clean the user's clean images
   * @param foreign images of another kind, mixed in at 10% (null: none)
   * @param settings what to measure
   * @param log where progress goes
   * @return the result
   * @throws IllegalArgumentException if there are too few images for the baseline size
   */
  public static MonitorPowerResult run(Autoencoder autoencoder, ReconstructionError measure, ImageBatch clean,
      ImageBatch foreign, Settings settings, PrintStream log) throws InterruptedException {
    long t0 = System.nanoTime();
    String date = Instant.now().toString();
    int n = settings.baselineSize();
    if (clean.size() < n + 100) {
      throw new IllegalArgumentException("the clean images must number at least the baseline size " + n
          + " plus 100 for the streams, but were " + clean.size());
    }
    int[] order = Measures.permutation(clean.size(), new SplittableRandom(settings.seed()));
    Baseline baseline = Baseline.compute(autoencoder, clean.select(Arrays.copyOfRange(order, 0, n)), measure);
    ImageBatch pool = clean.select(Arrays.copyOfRange(order, n, order.length));
    log.println("monitor self-test: baseline of " + n + " images, streams from the other " + pool.size()
        + "; scoring the shifted images...");
    double[] cleanErrors = autoencoder.errors(pool, measure);
    List<Scenario> scenarios = scenarios(autoencoder, measure, pool, cleanErrors, foreign, settings.seed());
    double[] sortedBaseline = baseline.sortedErrors();
    List<MonitorPowerResult.RankProfile> profiles = scenarios.stream().map(s -> profile(sortedBaseline, s)).toList();
    for (MonitorPowerResult.RankProfile p : profiles) {
      StringBuilder deciles = new StringBuilder();
      for (double d : p.deciles()) {
        deciles.append(String.format(Locale.ROOT, " %.3f", d));
      }
      log.printf(Locale.ROOT, "  %-20s AUC %.3f, %.4f nats/image, rank deciles%s%n", p.scenario(), p.auc(),
          p.klPerImage(), deciles);
    }
    List<MonitorPowerResult.Calibration> calibrations = new ArrayList<>();
    List<CleanRunLengths.Row> cleanRows = new ArrayList<>();
    List<DetectionDelays.Row> delayRows = new ArrayList<>();
    ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      for (long ert : settings.expectedRunTimes()) {
        List<StreamDetector> detectors = detectors(baseline, ert, settings, calibrations, log);
        long cap = Math.max(10_000, 3 * ert);
        log.println("ERT " + ert + ": clean runs and " + scenarios.size() + " scenarios for " + detectors.size()
            + " detectors...");
        List<Future<List<Object>>> parts = new ArrayList<>();
        for (StreamDetector d : detectors) {
          parts.add(executor.submit(() -> {
            List<Object> rows = new ArrayList<>();
            rows.add(CleanRunLengths.measure(d, cleanErrors, ert, settings.cleanRuns(),
                ErrorStream.seed(settings.seed(), ert, -1)));
            for (int s = 0; s < scenarios.size(); s++) {
              rows.addAll(DetectionDelays.measure(d, cleanErrors, scenarios.get(s), s, ert, settings.delayRuns(),
                  burnIn(settings, ert), cap, ErrorStream.seed(settings.seed(), ert), settings.requestSizes()));
            }
            return rows;
          }));
        }
        for (Future<List<Object>> f : parts) {
          for (Object row : get(f)) {
            if (row instanceof CleanRunLengths.Row c) {
              cleanRows.add(c);
            } else {
              delayRows.add((DetectionDelays.Row) row);
            }
          }
        }
      }
    } finally {
      executor.shutdownNow();
    }
    return new MonitorPowerResult(date, autoencoder.getClass().getSimpleName(), autoencoder.fingerprint(),
        measure.name(), clean.size(), n, pool.size(), baseline.id(), settings, calibrations, cleanRows, delayRows,
        profiles, (System.nanoTime() - t0) / 1e9);
  }

  /** The rank law of one scenario's drifted images against the baseline's sorted errors. */
  static MonitorPowerResult.RankProfile profile(double[] sortedBaseline, Scenario scenario) {
    int n = sortedBaseline.length;
    double[] deciles = new double[10];
    double[] bins = new double[20];
    double auc = 0;
    for (double e : scenario.errors()) {
      int below = SortedErrors.lowerBound(sortedBaseline, n, e);
      int ties = SortedErrors.lowerBound(sortedBaseline, n, Math.nextUp(e)) - below;
      auc += (below + 0.5 * ties) / n;
      // the image's mid-rank as a conformal position in (0, 1)
      double u = (below + 0.5 * ties + 0.5) / (n + 1);
      deciles[Math.min(9, (int) (u * 10))]++;
      bins[Math.min(19, (int) (u * 20))]++;
    }
    int m = scenario.errors().length;
    double kl = 0;
    for (int b = 0; b < 20; b++) {
      double p = scenario.fraction() * bins[b] / m + (1 - scenario.fraction()) / 20;
      if (p > 0) {
        kl += p * Math.log(p * 20);
      }
    }
    for (int d = 0; d < 10; d++) {
      deciles[d] /= m;
    }
    return new MonitorPowerResult.RankProfile(scenario.name(), scenario.fraction(), auc / m, deciles, kl);
  }

  /** The burn-in b at one expected run time: the change comes after b to 2b clean images. */
  static int burnIn(Settings settings, long expectedRunTime) {
    return (int) Math.max(1, Math.min(settings.burnIn(), expectedRunTime / 10));
  }

  private static List<Object> get(Future<List<Object>> f) throws InterruptedException {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The library's monitor (unless it refuses the setting), then the comparators. */
  private static List<StreamDetector> detectors(Baseline baseline, long ert, Settings settings,
      List<MonitorPowerResult.Calibration> calibrations, PrintStream log) {
    List<StreamDetector> detectors = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      MonitorDetector monitor = MonitorDetector.build(baseline, ert);
      calibrations.add(new MonitorPowerResult.Calibration(ert, monitor.threshold(), monitor.threshold() / ert,
          monitor.calibrationSeconds(), null));
      log.printf("ERT %d: DriftMonitor calibrated in %.1f s, threshold %.4g (%.2f x ERT)%n", ert,
          monitor.calibrationSeconds(), monitor.threshold(), monitor.threshold() / ert);
      detectors.add(monitor);
      // the same statistic calibrated for the median baseline, as the comparators are on average:
      // separates what the statistic detects from what the per-baseline promise costs
      MonitorDetector median = MonitorDetector.build(baseline, ert, 0.5);
      log.printf("ERT %d: DriftMonitor at confidence 0.5: threshold %.4g (%.2f x ERT)%n", ert, median.threshold(),
          median.threshold() / ert);
      detectors.add(median);
    } catch (IllegalArgumentException refused) {
      calibrations.add(new MonitorPowerResult.Calibration(ert, null, null, (System.nanoTime() - t0) / 1e9,
          refused.getMessage()));
      log.println("ERT " + ert + ": DriftMonitor refused: " + refused.getMessage());
    }
    for (int m : settings.batchSizes()) {
      if (m < ert) {
        detectors.add(new BatchRankDetector(baseline, m, ert));
      }
    }
    for (int w : settings.windows()) {
      detectors.add(new OnlineCvm(baseline, w, ert, ErrorStream.seed(settings.seed(), ert, w)));
    }
    return detectors;
  }

  /**
   * The built-in scenarios: the control, the per-batch self-test's shifts
   * ({@link PowerTest#standardShifts}), stroke thickening by grey dilation (2×2, 3×3), occlusion,
   * dimming, and 10% foreign images when given.
   */
  static List<Scenario> scenarios(Autoencoder autoencoder, ReconstructionError measure, ImageBatch pool,
      double[] cleanErrors, ImageBatch foreign, long seed) {
    List<Scenario> out = new ArrayList<>();
    out.add(new Scenario(Scenario.CONTROL, cleanErrors, 1));
    for (PowerTest.Shift s : PowerTest.standardShifts(pool, seed)) {
      out.add(new Scenario(s.name(), autoencoder.errors(s.images(), measure), s.fraction()));
    }
    out.add(new Scenario("thick 2×2", autoencoder.errors(Shifts.dilate(pool, 2), measure), 1));
    out.add(new Scenario("thick 3×3", autoencoder.errors(Shifts.dilate(pool, 3), measure), 1));
    int side = Math.max(1, (int) Math.round(Math.min(pool.shape().height(), pool.shape().width()) * 10 / 28.0));
    out.add(new Scenario("occlusion " + side + "×" + side, autoencoder.errors(Shifts.occlude(pool, side, seed + 7),
        measure), 1));
    out.add(new Scenario("dim 0.7", autoencoder.errors(Shifts.brightness(pool, 0.7), measure), 1));
    if (foreign != null) {
      out.add(new Scenario("10% foreign images", autoencoder.errors(foreign, measure), 0.1));
    }
    return out;
  }
}
