package org.drift4j;

/**
 * Natural logarithm of positive normal doubles, about twice as fast as {@link Math#log} and
 * within 4e-15 of it: a 1,024-entry table of log(1 + i/1024) and a fourth-order series for the
 * small remainder. Binary cross-entropy takes two logarithms per pixel, which made them most of
 * {@code check()}'s cost beyond the autoencoder itself.
 */
final class FastLog {

  private static final int BITS = 10;
  private static final double STEP = 1.0 / (1 << BITS);
  private static final double[] LOG = new double[(1 << BITS) + 1];
  private static final double[] INVERSE = new double[(1 << BITS) + 1];
  private static final double LN2 = Math.log(2);

  static {
    for (int i = 0; i <= 1 << BITS; i++) {
      double base = 1.0 + i * STEP;
      LOG[i] = Math.log(base);
      INVERSE[i] = 1.0 / base;
    }
  }

  private FastLog() {}

  /** ln(x) for a positive, normal, finite {@code x} (not checked). */
  static double ln(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) ((bits >>> 52) & 0x7FF) - 1023;
    long mantissa = bits & 0xFFFFFFFFFFFFFL;
    int index = (int) (mantissa >>> (52 - BITS));
    double m = Double.longBitsToDouble(mantissa | 0x3FF0000000000000L);
    double r = (m - (1.0 + index * STEP)) * INVERSE[index];
    double series = r * (1 - r * (0.5 - r * (1.0 / 3 - r * 0.25)));
    return exponent * LN2 + LOG[index] + series;
  }
}
