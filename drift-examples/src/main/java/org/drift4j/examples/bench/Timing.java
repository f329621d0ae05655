package org.drift4j.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The speed benchmark's timing: rates, latency percentiles and paired blocks. JMH (the
 * {@code jmh} command) measures single operations in forked JVMs; this measures what JMH does not:
 * the engine and {@code check()} in alternating blocks within one JVM, and Drift4j against
 * PyTorch in one run, so that ratios share the shared machine's load. Not thread-safe.
 */
final class Timing {

  private final double seconds;

  /** @param seconds how long each measurement runs */
  Timing(double seconds) {
    this.seconds = seconds;
  }

  /** Images per second of {@code task}, which scores {@code imagesPerCall} images, after a short warm-up. */
  double rate(Runnable task, int imagesPerCall) {
    for (int i = 0; i < 3; i++) {
      task.run();
    }
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long calls = 0;
    while (System.nanoTime() < deadline) {
      task.run();
      calls++;
    }
    return calls * imagesPerCall / ((System.nanoTime() - start) / 1e9);
  }

  /** Milliseconds of each call of {@code task} over the set time (at least 20 calls). */
  double[] latencies(Runnable task) {
    for (int i = 0; i < 5; i++) {
      task.run();
    }
    List<Double> ms = new ArrayList<>();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline || ms.size() < 20) {
      long t0 = System.nanoTime();
      task.run();
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    return toArray(ms);
  }

  /**
   * Alternating blocks of about 0.1 s of {@code first} and of {@code second}, the order swapped
   * every pair, for the set time: {all first ms, all second ms, per block pair: median second /
   * median first}. Blocks, not single calls, because a service calls one of them over and over:
   * each keeps its own session's weights in the caches (alternating single calls would measure
   * both cold); pairs of neighbouring blocks see the same load on a shared machine.
   */
  double[][] paired(Runnable first, Runnable second) {
    for (int i = 0; i < 5; i++) {
      first.run();
      second.run();
    }
    List<Double> firsts = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    long deadline = System.nanoTime() + (long) (this.seconds * 1e9);
    while (System.nanoTime() < deadline || ratios.size() < 10) {
      boolean firstFirst = ratios.size() % 2 == 0;
      double[] a = firstFirst ? block(first, firsts) : null;
      double[] b = block(second, seconds);
      if (!firstFirst) {
        a = block(first, firsts);
      }
      ratios.add(percentile(b, 0.5) / percentile(a, 0.5));
    }
    return new double[][] {toArray(firsts), toArray(seconds), toArray(ratios)};
  }

  private static double[] block(Runnable task, List<Double> all) {
    task.run(); // the first call after a switch finds the other session's data in the caches
    List<Double> ms = new ArrayList<>();
    long end = System.nanoTime() + 100_000_000L;
    while (System.nanoTime() < end || ms.size() < 3) {
      long t0 = System.nanoTime();
      task.run();
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    all.addAll(ms);
    return toArray(ms);
  }

  /** The median of each of {@code parts} consecutive, equal parts of {@code values}. */
  static double[] segmentMedians(double[] values, int parts) {
    double[] medians = new double[parts];
    for (int k = 0; k < parts; k++) {
      int from = (int) ((long) values.length * k / parts);
      int to = Math.max(from + 1, (int) ((long) values.length * (k + 1) / parts));
      medians[k] = percentile(Arrays.copyOfRange(values, from, Math.min(to, values.length)), 0.5);
    }
    return medians;
  }

  /** The {@code q}-quantile of {@code values}, nearest rank. */
  static double percentile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
