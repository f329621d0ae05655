package org.drift4j.examples.bench.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The monitor self-test's result as Markdown: the clean run lengths against the expected run time,
 * then, per expected run time, the median delays of the library's monitor beside the comparators,
 * with the better comparator and the target. Stateless.
 */
public final class MonitorPowerTable {

  /** The library monitor's name in the tables. */
  static final String MONITOR = "DriftMonitor";

  private MonitorPowerTable() {}

  /**
   * The tables of a result.
   *
   * @param r the result
   * @return Markdown
   */
  public static String of(MonitorPowerResult r) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "Monitor self-test, %s: %s (%s), baseline of %,d images (id %s), clean streams"
            + " drawn with replacement from the other %,d; seed %d; %.0f s.%n%n", r.date(), r.engine(), r.errorMeasure(),
        r.baselineSize(), r.baselineId().substring(0, Math.min(12, r.baselineId().length())), r.poolSize(),
        r.settings().seed(), r.seconds()));
    t.append("Clean run length given this one baseline: mean of the runs with its 95% interval; target for the"
        + " DriftMonitor: mean ≥ 0.9 × ERT.\n\n");
    t.append("| ERT | detector | runs | mean run length [95% interval] | mean / ERT | median | threshold A (A / ERT),"
        + " calibration |\n|---|---|---|---|---|---|---|\n");
    for (MonitorPowerResult.Calibration c : r.calibrations()) {
      if (c.refusal() != null) {
        t.append(String.format(Locale.ROOT, "| %,d | %s | | refused: %s | | | |%n", c.expectedRunTime(), MONITOR,
            c.refusal()));
      }
      for (CleanRunLengths.Row row : r.clean()) {
        if (row.expectedRunTime() != c.expectedRunTime()) {
          continue;
        }
        String calibration = row.detector().equals(MONITOR) && c.threshold() != null ? String.format(Locale.ROOT,
            "%.4g (%.2f), %.1f s", c.threshold(), c.thresholdPerRunTime(), c.seconds()) : "";
        t.append(String.format(Locale.ROOT, "| %,d | %s | %d%s | %,.0f [%,.0f, %,.0f] | %.2f [%.2f, %.2f] | %,.0f | %s |%n",
            row.expectedRunTime(), label(row.detector()), row.runs(), row.censored() ? " (last censored)" : "",
            row.mean(), row.low(), row.high(), row.mean() / row.expectedRunTime(), row.low() / row.expectedRunTime(),
            row.high() / row.expectedRunTime(), row.median(), calibration));
      }
    }
    for (MonitorPowerResult.Calibration c : r.calibrations()) {
      for (int size : r.settings().requestSizes()) {
        delays(t, r, c.expectedRunTime(), size);
      }
    }
    return t.toString();
  }

  private static String label(String detector) {
    return detector.equals(MONITOR) ? "**" + MONITOR + "**" : detector;
  }

  private static void delays(StringBuilder t, MonitorPowerResult r, long ert, int requestSize) {
    Map<String, Map<String, DetectionDelays.Row>> byScenario = new LinkedHashMap<>();
    Set<String> detectors = new LinkedHashSet<>();
    for (DetectionDelays.Row row : r.delays()) {
      if (row.expectedRunTime() == ert && row.requestSize() == requestSize) {
        byScenario.computeIfAbsent(row.scenario(), k -> new LinkedHashMap<>()).put(row.detector(), row);
        detectors.add(row.detector());
      }
    }
    if (byScenario.isEmpty()) {
      return;
    }
    List<String> comparators = new ArrayList<>(detectors);
    comparators.removeIf(d -> d.startsWith(MONITOR));
    boolean haveMonitor = detectors.contains(MONITOR);
    t.append(String.format(Locale.ROOT, "%nDetection delay at ERT %,d, requests of %d image%s: median images from the"
        + " change to the end of the alarmed request (mean [its 95%% interval]; censored runs at the cap count as the"
        + " cap), %d runs per cell; the change comes at a uniform image in %d..%d.%n%n", ert, requestSize,
        requestSize == 1 ? "" : "s", r.settings().delayRuns(), MonitorPower.burnIn(r.settings(), ert) + 1,
        2 * MonitorPower.burnIn(r.settings(), ert)));
    t.append("| shift |");
    detectors.forEach(d -> t.append(' ').append(label(d)).append(" |"));
    t.append(" better comparator | DriftMonitor / better | target | DriftMonitor change point, median abs. error |\n|---|");
    detectors.forEach(d -> t.append("---|"));
    t.append("---|---|---|---|\n");
    int met = 0;
    int judged = 0;
    for (Map.Entry<String, Map<String, DetectionDelays.Row>> e : byScenario.entrySet()) {
      t.append("| ").append(e.getKey()).append(" |");
      for (String d : detectors) {
        DetectionDelays.Row row = e.getValue().get(d);
        t.append(' ').append(row == null ? "" : cell(row)).append(" |");
      }
      DetectionDelays.Row best = null;
      for (String c : comparators) {
        DetectionDelays.Row row = e.getValue().get(c);
        if (row != null && (best == null || row.median() < best.median())) {
          best = row;
        }
      }
      DetectionDelays.Row monitor = e.getValue().get(MONITOR);
      boolean control = e.getKey().equals(Scenario.CONTROL);
      double bound = Scenario.halfTarget(e.getKey()) ? 0.5 : 1;
      String ratio = "";
      String target = control ? "control (no change)" : "≤ " + (bound == 1 ? "1" : "0.5");
      if (best != null && monitor != null) {
        double q = monitor.median() / best.median();
        ratio = String.format(Locale.ROOT, "%.2f", q);
        if (!control) {
          judged++;
          met += q <= bound ? 1 : 0;
          target += q <= bound ? ": meets" : ": **misses**";
        }
      }
      t.append(' ').append(best == null ? "" : String.format(Locale.ROOT, "%,.0f %s", best.median(), best.detector()))
          .append(" | ").append(ratio).append(" | ").append(target).append(" | ")
          .append(monitor == null || monitor.changePointAbsError() == null ? ""
              : String.format(Locale.ROOT, "%,.0f", monitor.changePointAbsError())).append(" |\n");
    }
    if (haveMonitor) {
      t.append(String.format(Locale.ROOT, "%nThe DriftMonitor meets the delay target on %d of %d shifts at ERT %,d"
          + " (requests of %d).%n", met, judged, ert, requestSize));
    }
  }

  private static String cell(DetectionDelays.Row row) {
    return String.format(Locale.ROOT, "%,.0f (%,.1f [%,.1f, %,.1f])%s", row.median(), row.mean(), row.meanLow(),
        row.meanHigh(),
        row.censored() > 0 ? " [" + row.censored() + " cens.]" : "");
  }
}
