package org.drift4j.examples.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftPolicy;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.examples.Measures;
import org.drift4j.spi.Autoencoder;

/**
 * The detection-power self-test: from a user's clean validation images, build shifted versions
 * and measure, for each policy and batch size, how often clean batches are flagged (false alarms)
 * and how often shifted ones are (detection), with 95% Wilson intervals.
 */
public final class PowerTest {

  /** One shift: a transformed copy of the images, and the share of each batch it replaces. */
  public record Shift(String name, ImageBatch images, double fraction) {}

  /**
   * A rate with its interval.
   *
   * @param rate share of batches flagged
   * @param low lower end of the 95% Wilson interval
   * @param high upper end
   */
  public record Rate(double rate, double low, double high) {}

  /**
   * All rates.
   *
   * @param batchSizes the batch sizes
   * @param trials batches per cell
   * @param alpha the tests' false-alarm rate
   * @param rates policy → scenario ("clean" or a shift) → one rate per batch size
   */
  public record Result(int[] batchSizes, int trials, double alpha, Map<String, Map<String, List<Rate>>> rates) {}

  private PowerTest() {}

  /** The standard shifts of the self-test. */
  public static List<Shift> standardShifts(ImageBatch clean, long seed) {
    ImageBatch noise05 = Shifts.noise(clean, 0.5, seed);
    return List.of(
        new Shift("noise 0.1", Shifts.noise(clean, 0.1, seed + 1), 1),
        new Shift("noise 0.3", Shifts.noise(clean, 0.3, seed + 2), 1),
        new Shift("noise 0.5", noise05, 1),
        new Shift("rotation 20°", Shifts.rotate(clean, 20), 1),
        new Shift("translation 3 px", Shifts.translate(clean, 3, 3), 1),
        new Shift("zoom 1.3", Shifts.zoom(clean, 1.3), 1),
        new Shift("10% noise 0.5", noise05, 0.1),
        new Shift("50% noise 0.5", noise05, 0.5));
  }

  /**
   * Measures the rates. The first half of {@code clean} (in a seeded random order) computes the
   * baseline; clean and shifted batches are drawn from the other half, so that false alarms are
   * measured on images the baseline has not seen.
   */
  public static Result run(Autoencoder autoencoder, ReconstructionError error, ImageBatch clean, List<Shift> shifts,
      int[] batchSizes, double alpha, int trials, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = Measures.permutation(clean.size(), random);
    int half = clean.size() / 2;
    int[] baselineIdx = java.util.Arrays.copyOfRange(order, 0, half);
    int[] poolIdx = java.util.Arrays.copyOfRange(order, half, order.length);
    Baseline baseline = Baseline.compute(autoencoder, clean.select(baselineIdx), error);
    ImageBatch pool = clean.select(poolIdx);
    double[] cleanErrors = Measures.errors(pool, autoencoder.reconstruct(pool), error);
    Map<String, double[]> shifted = new LinkedHashMap<>();
    for (Shift s : shifts) {
      ImageBatch shiftedPool = s.images().select(poolIdx);
      shifted.put(s.name(), Measures.errors(shiftedPool, autoencoder.reconstruct(shiftedPool), error));
    }
    Map<String, DriftPolicy> policies = new LinkedHashMap<>();
    policies.put("rankTest", DriftPolicy.rankTest(alpha));
    policies.put("ksTest", DriftPolicy.ksTest(alpha));
    policies.put("relativeIncrease(0.1)", DriftPolicy.relativeIncrease(0.1));
    Map<String, Map<String, List<Rate>>> rates = new LinkedHashMap<>();
    for (Map.Entry<String, DriftPolicy> policy : policies.entrySet()) {
      Map<String, List<Rate>> byScenario = new LinkedHashMap<>();
      byScenario.put("clean", rates(policy.getValue(), baseline, cleanErrors, null, 0, batchSizes, trials, seed));
      for (Shift s : shifts) {
        byScenario.put(s.name(), rates(policy.getValue(), baseline, cleanErrors, shifted.get(s.name()), s.fraction(),
            batchSizes, trials, seed + s.name().hashCode()));
      }
      rates.put(policy.getKey(), byScenario);
    }
    return new Result(batchSizes, trials, alpha, rates);
  }

  private static List<Rate> rates(DriftPolicy policy, Baseline baseline, double[] clean, double[] shifted,
      double fraction, int[] batchSizes, int trials, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Rate> out = new java.util.ArrayList<>();
    for (int m : batchSizes) {
      int foreign = shifted == null ? 0 : (int) Math.round(fraction * m);
      int flagged = 0;
      for (int t = 0; t < trials; t++) {
        // images are drawn without replacement; the shifted ones are other images than the clean ones
        int[] picks = Measures.partialShuffle(clean.length, m, random);
        double[] batch = new double[m];
        for (int i = 0; i < m; i++) {
          batch[i] = i < foreign ? shifted[picks[i]] : clean[picks[i]];
        }
        flagged += policy.decide(batch, baseline).drift() ? 1 : 0;
      }
      out.add(wilson(flagged, trials));
    }
    return out;
  }

  static Rate wilson(int successes, int trials) {
    double p = successes / (double) trials;
    double[] ci = Measures.wilson(p, trials);
    return new Rate(p, ci[0], ci[1]);
  }


}
