package org.drift4j;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The threshold A of {@link ShiryaevRoberts}, calibrated so that a service's one baseline gives
 * the expected run time it asked for.
 *
 * <p>The promise. Given the baseline, the ranks of clean images are i.i.d. with
 * P(r = k) = D_k, where D_k is the probability mass of the true clean error distribution between
 * the k-th and (k+1)-th smallest baseline errors; over baselines, D ~ Dirichlet(1, …, 1) exactly,
 * whatever the error distribution. The monitor's mean run length on clean images is a function of
 * D alone, ARL(A | D). A is the (1 − δ) quantile, over simulated D, of the A_D that gives
 * ARL(A_D | D) = ERT, so that
 *
 * <pre>  P over baselines ( E[run length on clean images | the baseline] ≥ ERT ) ≥ 1 − δ</pre>
 *
 * up to the Monte Carlo error of this calibration.
 *
 * <p>Computation. For each of {@code draws} simulated D (normalised exponentials), {@code streams}
 * clean streams of ranks drawn from D (Walker's alias table) run for three times the ERT, keeping
 * the running maximum of the statistic. For a candidate A, a stream's run length is the first time
 * that maximum reaches A (censored at the horizon); ARL(A | D) is estimated as the total observed
 * time over the number of alarms (the exponential model's estimate, which counts censored streams
 * right), and A_D solves ARL(A_D | D) = ERT by bisection on log A. Draws are seeded from the seed and
 * their index, so the result is the same for a seed whatever the thread count; they run in
 * parallel on the common fork-join pool. The cost grows with the ERT (about draws × streams × 3
 * ERT × components multiply-adds) and hardly with n; see docs/monitor.md for measured times.
 *
 * <p>Stateless and thread-safe.
 */
final class MonitorThresholds {

  /** Simulated baselines. */
  static final int DEFAULT_DRAWS = 200;
  /** Clean streams per simulated baseline. */
  static final int DEFAULT_STREAMS = 20;
  /** Streams run for this many ERTs. */
  static final double HORIZON = 3.0;

  /**
   * A calibration.
   *
   * @param threshold A, the (1 − δ) quantile of the A_D (infinite where more than δ of the
   *     simulated baselines reach no threshold up to the largest accepted)
   * @param perBaseline the simulated A_D, sorted (infinite where no threshold up to the largest
   *     accepted reaches the ERT)
   * @param unreachable the share of simulated baselines whose A_D is above the largest threshold
   *     accepted: a property of the simulated baselines, whatever δ
   * @param seconds how long it took
   */
  record Result(double threshold, List<Double> perBaseline, double unreachable, double seconds) {}

  private MonitorThresholds() {}

  /**
   * Calibrates A. Thresholds above {@code maxThreshold} are not needed (the monitor refuses them),
   * which keeps hopeless settings (a tiny baseline, a huge ERT) cheap: a stream stops once its
   * statistic passes it, and a simulated baseline stops once its streams show that even that
   * threshold is reached sooner than the ERT (its A_D is then infinite). Every simulated baseline
   * is simulated whatever the others give, so the result (A, the A_D and the share beyond
   * {@code maxThreshold}) is a function of the arguments alone: it does not depend on δ through
   * anything but the quantile taken, nor on the order in which threads finish.
   */
  static Result calibrate(int n, List<RankAlternative> alternatives, double ert, double delta, long seed, int draws,
      int streams, double maxThreshold) {
    long t0 = System.nanoTime();
    int components = alternatives.size();
    double[] lr = ShiryaevRoberts.table(n, alternatives);
    double[] w = ShiryaevRoberts.weights(alternatives);
    int horizon = (int) Math.min(Integer.MAX_VALUE - 1, Math.ceil(HORIZON * ert));
    int index = Math.min(draws - 1, (int) Math.ceil((1 - delta) * draws) - 1);
    Calibration run = new Calibration(n, lr, w, components, horizon, streams, ert, maxThreshold);
    double[] perBaseline = IntStream.range(0, draws).parallel()
        .mapToDouble(d -> run.perBaseline(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (d + 1)))))
        .toArray();
    Arrays.sort(perBaseline);
    long beyond = Arrays.stream(perBaseline).filter(v -> v > maxThreshold).count();
    return new Result(perBaseline[index], Arrays.stream(perBaseline).boxed().toList(), beyond / (double) draws,
        (System.nanoTime() - t0) / 1e9);
  }

  /** One calibration's shared settings; immutable, so thread-safe. */
  private static final class Calibration {
    private final int n;
    private final double[] lr;
    private final double[] w;
    private final int components;
    private final int horizon;
    private final int streams;
    private final double ert;
    private final double maxThreshold;

    Calibration(int n, double[] lr, double[] w, int components, int horizon, int streams, double ert,
        double maxThreshold) {
      this.n = n;
      this.lr = lr;
      this.w = w;
      this.components = components;
      this.horizon = horizon;
      this.streams = streams;
      this.ert = ert;
      this.maxThreshold = maxThreshold;
    }

    /**
     * A_D for one simulated baseline D; infinite when no threshold up to {@code maxThreshold}
     * reaches the ERT.
     */
    double perBaseline(SplittableRandom random) {
      Alias alias = new Alias(dirichlet(n, random));
      double[] s = new double[components];
      double[][] records = new double[streams][];
      int[][] times = new int[streams][];
      double total = 0;
      int alarms = 0;
      for (int st = 0; st < streams; st++) {
        Arrays.fill(s, 0);
        double max = 0;
        double[] values = new double[32];
        int[] at = new int[32];
        int count = 0;
        int end = horizon;
        for (int t = 1; t <= horizon; t++) {
          int row = alias.draw(random) * components;
          double sum = 0;
          for (int k = 0; k < components; k++) {
            double v = (w[k] + s[k]) * lr[row + k];
            s[k] = v;
            sum += v;
          }
          if (sum > max) {
            max = sum;
            if (count == values.length) {
              values = Arrays.copyOf(values, 2 * count);
              at = Arrays.copyOf(at, 2 * count);
            }
            values[count] = sum;
            at[count++] = t;
            if (sum > maxThreshold) {
              end = t; // later maxima only matter for thresholds the monitor refuses anyway
              break;
            }
          }
        }
        records[st] = Arrays.copyOf(values, count);
        times[st] = Arrays.copyOf(at, count);
        if (max > maxThreshold) {
          total += end;
          alarms++;
        } else {
          total += horizon;
        }
        // even if every remaining stream ran the whole horizon quietly, the largest threshold
        // accepted would be reached sooner than the ERT
        if (alarms > 0 && (total + (double) (streams - st - 1) * horizon) / alarms < ert) {
          return Double.POSITIVE_INFINITY;
        }
      }
      return solve(records, times, horizon, ert);
    }
  }

  /** The A with estimated ARL(A) = ert, by bisection on log A; infinite if none reaches it. */
  private static double solve(double[][] records, int[][] times, int horizon, double ert) {
    double lo = 1e-3;
    double hi = 0;
    for (double[] v : records) {
      if (v.length > 0) {
        hi = Math.max(hi, v[v.length - 1]);
      }
    }
    if (arl(records, times, horizon, hi) < ert) {
      return Double.POSITIVE_INFINITY;
    }
    for (int it = 0; it < 60; it++) {
      double mid = Math.sqrt(lo * hi);
      if (arl(records, times, horizon, mid) >= ert) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** Total observed time over the number of alarms at threshold a (infinite without alarms). */
  static double arl(double[][] records, int[][] times, int horizon, double a) {
    double total = 0;
    int alarms = 0;
    for (int s = 0; s < records.length; s++) {
      double[] v = records[s];
      int lo = 0;
      int hi = v.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (v[mid] < a) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      if (lo < v.length) {
        total += times[s][lo];
        alarms++;
      } else {
        total += horizon;
      }
    }
    return alarms == 0 ? Double.POSITIVE_INFINITY : total / alarms;
  }

  /** One D ~ Dirichlet(1, …, 1) over the n + 1 gaps of a baseline of n. */
  static double[] dirichlet(int n, SplittableRandom random) {
    double[] d = new double[n + 1];
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      d[i] = -Math.log(1.0 - random.nextDouble());
      sum += d[i];
    }
    for (int i = 0; i <= n; i++) {
      d[i] /= sum;
    }
    return d;
  }

  /** Walker's alias table: draws from a categorical law in constant time. */
  static final class Alias {
    private final double[] probability;
    private final int[] alias;

    Alias(double[] p) {
      int k = p.length;
      probability = new double[k];
      alias = new int[k];
      double[] scaled = new double[k];
      int[] small = new int[k];
      int[] large = new int[k];
      int ns = 0;
      int nl = 0;
      double sum = 0;
      for (double v : p) {
        sum += v;
      }
      for (int i = 0; i < k; i++) {
        scaled[i] = p[i] * k / sum;
        if (scaled[i] < 1) {
          small[ns++] = i;
        } else {
          large[nl++] = i;
        }
      }
      while (ns > 0 && nl > 0) {
        int s = small[--ns];
        int l = large[--nl];
        probability[s] = scaled[s];
        alias[s] = l;
        scaled[l] = scaled[l] + scaled[s] - 1;
        if (scaled[l] < 1) {
          small[ns++] = l;
        } else {
          large[nl++] = l;
        }
      }
      while (nl > 0) {
        probability[large[--nl]] = 1;
      }
      while (ns > 0) {
        probability[small[--ns]] = 1;
      }
    }

    int draw(SplittableRandom random) {
      int i = random.nextInt(probability.length);
      return random.nextDouble() < probability[i] ? i : alias[i];
    }
  }
}
