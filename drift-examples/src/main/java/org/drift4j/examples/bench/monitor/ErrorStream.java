package org.drift4j.examples.bench.monitor;

import java.util.SplittableRandom;

/**
 * A seeded stream of errors drawn with replacement from precomputed pools: two streams of one seed
 * are the same stream, so that every detector sees the same images. Not thread-safe.
 */
final class ErrorStream {

  private final double[] clean;
  private final Scenario after;
  private final SplittableRandom random;

  /**
   * @param clean the clean pool
   * @param after what the drifted images are drawn from (null: clean only)
   * @param seed the stream's seed
   */
  ErrorStream(double[] clean, Scenario after, long seed) {
    this.clean = clean;
    this.after = after;
    this.random = new SplittableRandom(seed);
  }

  /** {@return a uniform integer in [0, bound), from the stream's generator} */
  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** {@return the next {@code count} clean errors} */
  double[] clean(int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = clean[random.nextInt(clean.length)];
    }
    return out;
  }

  /** {@return the next {@code count} errors after the change} */
  double[] drifted(int count) {
    double[] out = new double[count];
    double[] foreign = after.errors();
    double fraction = after.fraction();
    for (int i = 0; i < count; i++) {
      boolean shifted = fraction >= 1 || random.nextDouble() < fraction;
      out[i] = shifted ? foreign[random.nextInt(foreign.length)] : clean[random.nextInt(clean.length)];
    }
    return out;
  }

  /** A seed for one run of one scenario: mixes the parts so that nearby runs get unrelated streams. */
  static long seed(long base, long... parts) {
    long z = base;
    for (long p : parts) {
      z = (z ^ p) * 0x9E3779B97F4A7C15L;
      z ^= z >>> 29;
    }
    return z;
  }
}
