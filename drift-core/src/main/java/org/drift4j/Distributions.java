package org.drift4j;

/** Distribution functions the rank tests need. */
final class Distributions {

  private Distributions() {}

  /** Two-sided normal p-value 2(1 − Φ(|z|)) = erfc(|z| / √2). */
  static double twoSidedNormalPValue(double z) {
    return Math.min(1.0, erfc(Math.abs(z) / Math.sqrt(2.0)));
  }

  /** Complementary error function, relative error below 1.2e-7 (Chebyshev fit, Numerical Recipes). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2.0 - r;
  }

  /**
   * Upper tails {@code P(X >= x)} for x = 0..m of the beta-binomial(m, a, b) law: the number of m
   * new exchangeable values that land above the k-th largest of n old ones follows it with
   * a = k, b = n + 1 − k.
   */
  static double[] betaBinomialUpperTails(int m, double a, double b) {
    double[] logPmf = new double[m + 1];
    // log P(X = 0) = sum_{i<m} log((b + i) / (a + b + i))
    double lp = 0;
    for (int i = 0; i < m; i++) {
      lp += Math.log((b + i) / (a + b + i));
    }
    logPmf[0] = lp;
    for (int x = 0; x < m; x++) {
      lp += Math.log((double) (m - x) / (x + 1)) + Math.log((a + x) / (b + m - x - 1));
      logPmf[x + 1] = lp;
    }
    double[] tail = new double[m + 2];
    double sum = 0;
    for (int x = m; x >= 0; x--) {
      sum += Math.exp(logPmf[x]);
      tail[x] = Math.min(1.0, sum);
    }
    tail[0] = 1.0;
    return tail;
  }
}
