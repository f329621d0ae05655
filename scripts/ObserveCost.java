import java.time.Instant;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * The time of DriftMonitor.observeErrors (ranking, the statistic's update, the observation) for
 * requests of 1 and 32 images, n = 2,000, ERT 10,000: the best of 5 blocks of 200,000 calls. Run it
 * against two builds' jars in turn to compare statistics (docs/monitor.md section 6.3):
 *
 * <pre>java -cp 'drift-examples/target/lib/*' scripts/ObserveCost.java LABEL</pre>
 */
public class ObserveCost {
  public static void main(String[] a) {
    Baseline b = Baseline.of(new SplittableRandom(1).doubles(2000).toArray(), ReconstructionError.MEAN_SQUARED_ERROR,
        ImageShape.grey(1, 1), "x", Instant.EPOCH);
    DriftMonitor m = DriftMonitor.builder(b).config(DriftMonitorConfig.custom().expectedRunTime(10_000).build()).build();
    SplittableRandom r = new SplittableRandom(2);
    for (int size : new int[] {1, 32}) {
      double[][] batches = new double[4096][size];
      for (double[] x : batches) for (int i = 0; i < size; i++) x[i] = r.nextDouble();
      for (int i = 0; i < 200_000; i++) m.observeErrors(batches[i & 4095]);
      long best = Long.MAX_VALUE;
      for (int rep = 0; rep < 5; rep++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 200_000; i++) m.observeErrors(batches[i & 4095]);
        best = Math.min(best, System.nanoTime() - t0);
      }
      System.out.printf("%s size %d: %.3f us per observeErrors%n", a[0], size, best / 200_000 / 1e3);
    }
  }
}
