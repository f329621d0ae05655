package org.drift4j;

import java.util.List;

/**
 * An alternative law of a production image's conformal rank u = (r + V) / (n + 1) among the n
 * baseline errors (V uniform on [0, 1)), which is uniform on (0, 1) on clean images when
 * averaged over baselines. Each alternative has a density f on (0, 1); the likelihood ratio of
 * the discrete rank r is the bin average
 *
 * <pre>  Λ(r) = (n + 1) · ∫ from r/(n+1) to (r+1)/(n+1) of f(u) du,</pre>
 *
 * exact for ranks, and bounded for every family here. The families (θ = {@code shape},
 * ε = {@code fraction}):
 * <ul>
 *   <li>LOCATION_UP: the Lehmann alternative F(u) = u^θ, θ > 1: errors shifted up, with AUC
 *       θ / (θ + 1) against clean images.
 *   <li>LOCATION_DOWN: F(u) = 1 − (1 − u)^θ: errors shifted down (occlusion, simpler images).
 *   <li>TAIL_UP: contamination (1 − ε) · uniform + ε · Beta(a, 1), a = (n + 1) / K: a share ε
 *       of foreign images whose errors lie above about the K-th largest baseline error (K =
 *       {@code shape} baseline ranks if at least 1, else {@code shape} · (n + 1)). The Beta
 *       density decays smoothly below the top, so the component does not lean on one spacing.
 *   <li>TAIL_DOWN: its mirror image, foreign images with errors below the baseline.
 *   <li>TAIL_BOTH: ε / 2 in each tail (outliers both ways).
 *   <li>SPREAD_DOWN: density θ (1 − |2u − 1|)^(θ − 1): errors gathering in the middle.
 *   <li>BUMP: (1 − ε) · uniform + ε · a triangular density of half-width 0.1 centred on
 *       {@code shape}: a share ε of images whose errors gather around one baseline percentile
 *       without reaching the tails (occlusion, moderate changes of shape).
 * </ul>
 *
 * @param kind the family
 * @param shape θ, or the tail width K
 * @param fraction ε for the tail families, 0 otherwise
 * @param weight the share of the false-alarm budget (normalised by the statistic)
 */
record RankAlternative(Kind kind, double shape, double fraction, double weight) {

  /** The families. */
  enum Kind { LOCATION_UP, LOCATION_DOWN, TAIL_UP, TAIL_DOWN, TAIL_BOTH, SPREAD_DOWN, BUMP }

  /**
   * The default mixture, chosen by measurement on MNIST and checked on Fashion-MNIST
   * (docs/monitor.md): location both ways at four strengths (AUC 0.55, 0.6, 0.75, 0.86),
   * contamination of either tail at four widths (beyond the baseline's maximum, beyond its top 3
   * errors, beyond its top 1.5%, 10% of images beyond its top 10%), 25% of images beyond the top
   * 10%, outliers in both tails (beyond 5% on each side), a mild concentration towards the middle,
   * and 30% of images gathering around the 20th or the 80th percentile; 21 components, equal
   * weights. The last seven (for weak shifts and thickened strokes) raised the calibrated
   * threshold by 17% (n = 2,000, ERT 2,000: 2527 to 2969), which costs strong shifts less than an
   * image.
   */
  static final List<RankAlternative> DEFAULTS = List.of(
      new RankAlternative(Kind.LOCATION_UP, 1.5, 0, 1), new RankAlternative(Kind.LOCATION_UP, 3, 0, 1),
      new RankAlternative(Kind.LOCATION_UP, 6, 0, 1),
      new RankAlternative(Kind.LOCATION_DOWN, 1.5, 0, 1), new RankAlternative(Kind.LOCATION_DOWN, 3, 0, 1),
      new RankAlternative(Kind.LOCATION_DOWN, 6, 0, 1),
      new RankAlternative(Kind.TAIL_UP, 1, 0.05, 1), new RankAlternative(Kind.TAIL_UP, 3, 0.1, 1),
      new RankAlternative(Kind.TAIL_UP, 0.015, 0.3, 1),
      new RankAlternative(Kind.TAIL_DOWN, 1, 0.05, 1), new RankAlternative(Kind.TAIL_DOWN, 3, 0.1, 1),
      new RankAlternative(Kind.TAIL_DOWN, 0.015, 0.3, 1),
      new RankAlternative(Kind.TAIL_BOTH, 0.05, 0.2, 1),
      new RankAlternative(Kind.SPREAD_DOWN, 1.2, 0, 1),
      // weak shifts and mid-range changes of shape (after the rank profiles of MNIST's thickening)
      new RankAlternative(Kind.LOCATION_UP, 1.2, 0, 1), new RankAlternative(Kind.LOCATION_DOWN, 1.2, 0, 1),
      new RankAlternative(Kind.TAIL_UP, 0.1, 0.1, 1), new RankAlternative(Kind.TAIL_DOWN, 0.1, 0.1, 1),
      new RankAlternative(Kind.TAIL_UP, 0.1, 0.25, 1),
      new RankAlternative(Kind.BUMP, 0.2, 0.3, 1), new RankAlternative(Kind.BUMP, 0.8, 0.3, 1));

  /**
   * The first 14 of {@link #DEFAULTS}, without the weak and mid-range components: what the monitor
   * uses when its baseline is too small for the full mixture at the expected run time asked (the
   * weak components are the most sensitive to the baseline's own sampling error).
   */
  static final List<RankAlternative> STRONG = DEFAULTS.subList(0, 14);

  /** For the tail families: K in baseline ranks. */
  private double tailWidth(int n) {
    return shape >= 1 ? shape : Math.max(1.0, shape * (n + 1));
  }

  /** Probability of [a, b) under the alternative, 0 <= a < b <= 1, written to avoid cancellation. */
  private double mass(double a, double b, int n) {
    boolean tail = kind == Kind.TAIL_UP || kind == Kind.TAIL_DOWN || kind == Kind.TAIL_BOTH;
    double t = tail ? (n + 1) / tailWidth(n) : shape;
    return switch (kind) {
      case LOCATION_UP -> Math.pow(b, t) - Math.pow(a, t);
      case LOCATION_DOWN -> Math.pow(1 - a, t) - Math.pow(1 - b, t);
      case TAIL_UP -> (1 - fraction) * (b - a) + fraction * (Math.pow(b, t) - Math.pow(a, t));
      case TAIL_DOWN -> (1 - fraction) * (b - a) + fraction * (Math.pow(1 - a, t) - Math.pow(1 - b, t));
      case TAIL_BOTH -> (1 - fraction) * (b - a) + 0.5 * fraction * (Math.pow(b, t) - Math.pow(a, t))
          + 0.5 * fraction * (Math.pow(1 - a, t) - Math.pow(1 - b, t));
      case SPREAD_DOWN -> {
        // F(u) = (2u)^θ / 2 below 1/2, 1 - (2 - 2u)^θ / 2 above
        if (b <= 0.5) {
          yield 0.5 * (Math.pow(2 * b, t) - Math.pow(2 * a, t));
        }
        if (a >= 0.5) {
          yield 0.5 * (Math.pow(2 - 2 * a, t) - Math.pow(2 - 2 * b, t));
        }
        yield 0.5 * (1 - Math.pow(2 * a, t)) + 0.5 * (1 - Math.pow(2 - 2 * b, t));
      }
      case BUMP -> (1 - fraction) * (b - a) + fraction * (tent(b) - tent(a));
    };
  }

  /** Half the width of a BUMP's triangular density. */
  static final double BUMP_HALF_WIDTH = 0.1;

  /** The CDF of the triangular density centred on {@code shape}, half-width {@link #BUMP_HALF_WIDTH}. */
  private double tent(double u) {
    double h = BUMP_HALF_WIDTH;
    double lo = shape - h;
    double hi = shape + h;
    if (u <= lo) {
      return 0;
    }
    if (u >= hi) {
      return 1;
    }
    return u <= shape ? (u - lo) * (u - lo) / (2 * h * h) : 1 - (hi - u) * (hi - u) / (2 * h * h);
  }

  /** Λ(r) for r = 0..n; their average over r is exactly 1. */
  double[] likelihoodRatios(int n) {
    double[] lr = new double[n + 1];
    double width = 1.0 / (n + 1);
    for (int r = 0; r <= n; r++) {
      double a = r * width;
      double b = r == n ? 1.0 : (r + 1) * width;
      lr[r] = Math.max(0.0, mass(a, b, n)) * (n + 1);
    }
    return lr;
  }

  /** A short description for reports: what drifted, in words. */
  String describe() {
    return switch (kind) {
      case LOCATION_UP -> "errors up (AUC " + Decimals.fixed(shape / (shape + 1), 2, false) + ")";
      case LOCATION_DOWN -> "errors down (AUC " + Decimals.fixed(shape / (shape + 1), 2, false) + ")";
      case TAIL_UP -> Decimals.fixed(100 * fraction, 0, false) + "% of images with errors above the baseline's "
          + (shape == 1 ? "largest" : shape > 1 ? "top " + (int) shape : "top " + Decimals.significant(100 * shape, 2) + "%");
      case TAIL_DOWN -> Decimals.fixed(100 * fraction, 0, false) + "% of images with errors below the baseline's "
          + (shape == 1 ? "smallest" : shape > 1 ? "bottom " + (int) shape
              : "bottom " + Decimals.significant(100 * shape, 2) + "%");
      case TAIL_BOTH -> Decimals.fixed(100 * fraction, 0, false) + "% of images with errors in either tail";
      case SPREAD_DOWN -> "errors gathering in the middle of the baseline's range";
      case BUMP -> Decimals.fixed(100 * fraction, 0, false) + "% of images with errors gathering around the baseline's "
          + Decimals.fixed(100 * shape, 0, false) + "th percentile";
    };
  }

  /** A stable id for calibration keys. */
  String id() {
    return kind + ":" + shape + ":" + fraction + ":" + weight;
  }
}
