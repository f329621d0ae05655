package org.drift4j.examples.bench.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.drift4j.Baseline;

/**
 * Comparator (b): an online Cramér–von Mises monitor in the style of alibi-detect's
 * {@code CVMDriftOnline} (after Ross and Adams 2012), on the ranks of the errors among the
 * baseline's, with one sliding window of W images.
 *
 * <p>Statistic, once W images have been seen: the two-sample CvM distance between the window and
 * the n baseline errors over the pooled points, Σ (F_baseline − G_window)², scaled by
 * nW / (n + W)² and standardised with its null mean 1/6 + 1/(6(n + W)) and variance (Anderson
 * 1962), as alibi does. With the window's ranks sorted, s_0 ≤ … ≤ s_(W−1), the baseline part is a
 * sum of quadratics over W + 1 blocks (closed form) and the window part a sum over the window:
 * O(W) per image.
 *
 * <p>Thresholds, configured as alibi configures them: B = max(10,000, 10 ERT) simulated null
 * streams of 2W − 1 images; at each time t the (1 − 1/ERT) quantile of the statistic over the
 * streams that have not alarmed yet, after which those above it are dropped, so that the hazard of
 * a false alarm is 1/ERT at every step; from 2W − 1 on the last threshold holds. Alibi draws the
 * reference and each stream afresh from a continuous law; on ranks the same exchangeable law is
 * drawn directly by the Pólya urn P(r_t = k | past) = (1 + #{s &lt; t : r_s = k}) / (n + 1 + t).
 * Like alibi's, this calibration is averaged over baselines and promises nothing given one.
 * Ported from the design study (docs/monitor.md). Not thread-safe.
 */
final class OnlineCvm implements StreamDetector {

  private static final int CHUNK = 1_000;

  private final double[] sortedBaseline;
  private final int n;
  private final int w;
  private final double[] thresholds;
  private final Window window;

  /**
   * Configures the thresholds (B streams; parallel, seeded per chunk of streams).
   *
   * @throws IllegalArgumentException if {@code w} is below 2 or the expected run time below 2
   */
  OnlineCvm(Baseline baseline, int w, long expectedRunTime, long seed) {
    if (w < 2 || expectedRunTime < 2) {
      throw new IllegalArgumentException("the window must hold at least 2 images and the expected run time at least 2,"
          + " but were " + w + " and " + expectedRunTime);
    }
    this.sortedBaseline = baseline.sortedErrors();
    this.n = sortedBaseline.length;
    this.w = w;
    this.thresholds = configure(expectedRunTime, (int) Math.min(2_000_000, Math.max(10_000, 10 * expectedRunTime)),
        seed);
    this.window = new Window();
  }

  @Override
  public String name() {
    return "CvM W=" + w;
  }

  @Override
  public void reset() {
    window.clear();
  }

  @Override
  public List<Alarm> observe(double[] errors) {
    List<Alarm> alarms = List.of();
    for (int i = 0; i < errors.length; i++) {
      double z = push(errors[i]);
      int at = (int) Math.min(window.t - 1, thresholds.length - 1);
      if (z > thresholds[at]) { // NaN (window not full) never alarms
        if (alarms.isEmpty()) {
          alarms = new ArrayList<>(1);
        }
        alarms.add(new Alarm(i, window.sinceReset - w));
        window.restart();
      }
    }
    return alarms;
  }

  /** Adds one image without judging it; returns the statistic (NaN while the window is not full). */
  double push(double error) {
    return window.push(rank(error));
  }

  /** The thresholds by time since the start (NaN before the window is full). */
  double[] thresholds() {
    return thresholds.clone();
  }

  /** Ranks among the baseline's errors: the number below, ties counted half (rounded down). */
  private int rank(double error) {
    int lo = SortedErrors.lowerBound(sortedBaseline, n, error);
    int hi = lo;
    while (hi < n && sortedBaseline[hi] == error) {
      hi++;
    }
    return lo + (hi - lo) / 2;
  }

  private double[] configure(long expectedRunTime, int streams, long seed) {
    int horizon = 2 * w - 1;
    float[][] stats = new float[horizon][streams];
    int chunks = (streams + CHUNK - 1) / CHUNK;
    IntStream.range(0, chunks).parallel().forEach(c -> {
      SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (c + 1)));
      Window sim = new Window();
      int[] history = new int[horizon];
      for (int s = c * CHUNK; s < Math.min(streams, (c + 1) * CHUNK); s++) {
        sim.clear();
        for (int i = 0; i < horizon; i++) {
          // Pólya urn: a fresh uniform slot with probability (n + 1) / (n + 1 + i), else a past draw's
          int r = random.nextInt(n + 1 + i) <= n ? random.nextInt(n + 1) : history[random.nextInt(i)];
          history[i] = r;
          stats[i][s] = (float) sim.push(r);
        }
      }
    });
    double beta = 1.0 / expectedRunTime;
    double[] out = new double[horizon];
    Arrays.fill(out, Double.NaN);
    boolean[] alive = new boolean[streams];
    Arrays.fill(alive, true);
    double[] buffer = new double[streams];
    for (int i = w - 1; i < horizon; i++) {
      int c = 0;
      for (int s = 0; s < streams; s++) {
        if (alive[s]) {
          buffer[c++] = stats[i][s];
        }
      }
      Arrays.sort(buffer, 0, c);
      double h = (c - 1) * (1 - beta); // quantile type 7, as alibi's utils.misc.quantile
      int lo = (int) Math.floor(h);
      double q = lo + 1 < c ? buffer[lo] + (h - lo) * (buffer[lo + 1] - buffer[lo]) : buffer[c - 1];
      out[i] = q;
      for (int s = 0; s < streams; s++) {
        if (alive[s] && stats[i][s] > q) {
          alive[s] = false;
        }
      }
    }
    return out;
  }

  /** The standardised CvM statistic of a full window whose ranks are sorted in {@code s}. */
  double standardised(int[] s) {
    double nn = n;
    double sum = 0;
    // baseline points i = 0..n-1 in blocks of constant c (window ranks <= i); v = i + 1 over [a+1, b+1]
    int a = 0;
    for (int c = 0; c <= w; c++) {
      int b = c < w ? s[c] - 1 : n - 1;
      if (b >= a) {
        double frac = c / (double) w;
        double v0 = a;
        double v1 = b + 1;
        double s1 = (v1 * (v1 + 1) - v0 * (v0 + 1)) / 2;
        double s2 = (v1 * (v1 + 1) * (2 * v1 + 1) - v0 * (v0 + 1) * (2 * v0 + 1)) / 6;
        sum += s2 / (nn * nn) - 2 * frac * s1 / nn + (b - a + 1) * frac * frac;
      }
      if (c < w) {
        a = Math.max(a, s[c]);
      }
    }
    for (int j = 0; j < w; j++) {
      double d = s[j] / nn - (j + 1) / (double) w;
      sum += d * d;
    }
    double nw = n + w;
    double mu = 1.0 / 6 + 1.0 / (6 * nw);
    double varNum = (nw + 1) * (4 * nn * w * nw - 3 * (nn * nn + (double) w * w) - 2 * nn * w);
    double varDen = 45 * nw * nw * 4 * nn * w;
    return (sum * nn * w / (nw * nw) - mu) / Math.sqrt(varNum / varDen);
  }

  /** The last W ranks, in arrival order (a ring) and sorted. */
  private final class Window {
    private final int[] ring = new int[w];
    private final int[] sorted = new int[w];
    /** Images since the statistic last started (the thresholds' clock). */
    private long t;
    /** Images since {@link #clear()}. */
    private long sinceReset;

    void clear() {
      restart();
      sinceReset = 0;
    }

    void restart() {
      t = 0;
    }

    /** Adds a rank; returns the standardised statistic, or NaN while the window is not full. */
    double push(int r) {
      int slot = (int) (t % w);
      int size = (int) Math.min(t, w);
      if (t >= w) {
        int p = Arrays.binarySearch(sorted, 0, size, ring[slot]);
        System.arraycopy(sorted, p + 1, sorted, p, size - p - 1);
        size--;
      }
      ring[slot] = r;
      t++;
      sinceReset++;
      int p = Arrays.binarySearch(sorted, 0, size, r);
      if (p < 0) {
        p = -p - 1;
      }
      System.arraycopy(sorted, p, sorted, p + 1, size - p);
      sorted[p] = r;
      return size + 1 == w ? standardised(sorted) : Double.NaN;
    }
  }
}
