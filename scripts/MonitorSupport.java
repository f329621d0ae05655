import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * Which (baseline size, expected run time) pairs the DriftMonitor accepts, with the calibrated
 * threshold A / ERT and the calibration's time ("(strong)": the baseline supports only the 14
 * strong alternatives there, not the full 21): builds a monitor for every pair of the grid and
 * prints a Markdown table (docs/monitor.md). The calibration is distribution-free, so a baseline of
 * uniform errors stands for any. Run from the repository root after a build:
 *
 * <pre>java -cp 'drift-examples/target/lib/*' scripts/MonitorSupport.java [n,n,...] [ert,ert,...]</pre>
 */
public class MonitorSupport {
  public static void main(String[] args) {
    int[] ns = parse(args.length > 0 ? args[0] : "100,200,500,1000,2000,5000");
    int[] erts = parse(args.length > 1 ? args[1] : "500,1000,2000,5000,10000,20000");
    System.out.printf(Locale.ROOT, "Measured %s, %d cores.%n%n| n \\\\ ERT |", Instant.now(),
        Runtime.getRuntime().availableProcessors());
    for (int e : erts) {
      System.out.printf(Locale.ROOT, " %,d |", e);
    }
    System.out.print("\n|---|");
    for (int ignored : erts) {
      System.out.print("---|");
    }
    System.out.println();
    // the full statistic's id, from a baseline large enough for it (the id does not depend on n)
    String full = statistic(DriftMonitor.builder(Baseline.of(new SplittableRandom(1).doubles(5_000).toArray(),
        ReconstructionError.MEAN_SQUARED_ERROR, ImageShape.grey(1, 1), "uniform", Instant.EPOCH))
        .config(DriftMonitorConfig.custom().expectedRunTime(100).build()).build());
    for (int n : ns) {
      Baseline baseline = Baseline.of(new SplittableRandom(n).doubles(n).toArray(),
          ReconstructionError.MEAN_SQUARED_ERROR, ImageShape.grey(1, 1), "uniform", Instant.EPOCH);
      System.out.printf(Locale.ROOT, "| %,d |", n);
      for (int ert : erts) {
        long t0 = System.nanoTime();
        String cell;
        try {
          DriftMonitor m = DriftMonitor.builder(baseline)
              .config(DriftMonitorConfig.custom().expectedRunTime(ert).build()).build();
          cell = String.format(Locale.ROOT, "%.2f", m.status().threshold() / ert)
              + (statistic(m).equals(full) ? "" : " (strong)");
        } catch (IllegalArgumentException refused) {
          String msg = refused.getMessage();
          int at = msg.indexOf("threshold is ");
          cell = "refused (" + (at < 0 ? msg : msg.substring(at + 13, msg.indexOf(" (at most"))) + ")";
        }
        System.out.printf(Locale.ROOT, " %s, %.1f s |", cell, (System.nanoTime() - t0) / 1e9);
      }
      System.out.println();
    }
  }

  private static String statistic(DriftMonitor m) {
    String json = m.snapshot().toJson();
    int at = json.indexOf("shiryaev-roberts-mixture");
    return json.substring(at, json.indexOf('"', at));
  }

  private static int[] parse(String list) {
    return java.util.Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}
