package org.drift4j.examples;

import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;

/** Small helpers shared by the experiment and the benchmarks. */
public final class Measures {

  private Measures() {}

  /** Per-image errors of {@code rebuilt} against {@code targets}. */
  public static double[] errors(ImageBatch targets, float[][] rebuilt, ReconstructionError measure) {
    double[] e = new double[rebuilt.length];
    float[] target = new float[targets.shape().size()];
    for (int i = 0; i < e.length; i++) {
      targets.copyTo(i, i + 1, target, 0);
      e[i] = measure.of(target, rebuilt[i]);
    }
    return e;
  }

  /** 95% Wilson score interval {low, high} of a proportion observed over {@code trials}. */
  public static double[] wilson(double rate, int trials) {
    double z = 1.959964;
    double denominator = 1 + z * z / trials;
    double centre = (rate + z * z / (2 * trials)) / denominator;
    double half = z * Math.sqrt(rate * (1 - rate) / trials + z * z / (4.0 * trials * trials)) / denominator;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /** A uniformly random permutation of 0..n-1. */
  public static int[] permutation(int n, SplittableRandom random) {
    return partialShuffle(n, n, random);
  }

  /** {@code m} distinct indices from 0..n-1, uniformly at random. */
  public static int[] partialShuffle(int n, int m, SplittableRandom random) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int k = Math.min(m, n);
    for (int i = 0; i < k && i < n - 1; i++) {
      int j = i + random.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return java.util.Arrays.copyOf(idx, k);
  }

  /** {@code m} of {@code values} drawn without replacement. */
  public static double[] sample(double[] values, int m, SplittableRandom random) {
    int[] picks = partialShuffle(values.length, m, random);
    double[] out = new double[picks.length];
    for (int i = 0; i < picks.length; i++) {
      out[i] = values[picks[i]];
    }
    return out;
  }
}
