package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.drift4j.Baseline;
import org.drift4j.DriftMonitor;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;

/**
 * What {@link DriftMonitor#observe} costs beyond the engine: the median ratio of alternating
 * blocks of {@code observe(batch)} and of the engine's {@code errors(batch)} alone
 * ({@link Timing#paired}), at 1 and 32 images per request, on each engine; and the time of
 * {@link DriftMonitor#observeErrors} on precomputed errors (ranking, the statistic's update under
 * the lock, the observation), from one thread and from 16 threads at once. Part of the
 * {@code bench} command. Not thread-safe.
 */
final class MonitorOverhead {

  private static final int[] BATCH_SIZES = {1, 32};
  private static final int THREADS = 16;
  private static final int MAX_SAMPLES = 200_000;
  private static final ReconstructionError MEASURE = ReconstructionError.BINARY_CROSS_ENTROPY;

  private final Timing timing;
  private final double seconds;
  private final PrintStream log;

  MonitorOverhead(Timing timing, double seconds, PrintStream log) {
    this.timing = timing;
    this.seconds = seconds;
    this.log = log;
  }

  /**
   * Measures on {@code images} with both engines of one model (so one baseline serves them).
   *
   * @param images images of the engines' shape, at least 32
   * @param onnx the model on ONNX Runtime
   * @param dl4j the same model on DL4J
   * @return the figures, as JSON
   */
  ObjectNode measure(ImageBatch images, Autoencoder onnx, Autoencoder dl4j) {
    log.println("DriftMonitor.observe() overhead and critical section...");
    ObjectNode out = new ObjectMapper().createObjectNode();
    Map<String, Autoencoder> engines = new LinkedHashMap<>();
    engines.put("ONNX", onnx);
    engines.put("DL4J", dl4j);
    Autoencoder first = onnx;
    Baseline baseline = Baseline.compute(onnx, BenchData.images(2_000, 3), MEASURE);
    Path cache;
    try {
      cache = Files.createTempFile("drift4j-bench", ".monitor-calibration.json");
      Files.delete(cache);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Map<String, DriftMonitor> monitors = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      for (Map.Entry<String, Autoencoder> e : engines.entrySet()) {
        monitors.put(e.getKey(), DriftMonitor.builder(e.getValue(), baseline).calibrationCache(cache).build());
      }
      DriftMonitor any = monitors.values().iterator().next();
      out.put("expectedRunTime", any.config().expectedRunTime());
      out.put("baselineSize", baseline.count());
      out.put("calibrationSeconds", (System.nanoTime() - t0) / 1e9);
      ObjectNode overhead = out.putObject("observeOverhead");
      for (Map.Entry<String, Autoencoder> e : engines.entrySet()) {
        ObjectNode byBatch = overhead.putObject(e.getKey());
        for (int b : BATCH_SIZES) {
          ImageBatch batch = images.slice(0, b);
          Autoencoder engine = e.getValue();
          DriftMonitor monitor = monitors.get(e.getKey());
          double[][] paired = timing.paired(() -> engine.errors(batch, MEASURE), () -> monitor.observe(batch));
          ObjectNode o = byBatch.putObject(String.valueOf(b));
          o.put("engineP50", Timing.percentile(paired[0], 0.5));
          o.put("observeP50", Timing.percentile(paired[1], 0.5));
          o.put("overhead", Timing.percentile(paired[2], 0.5) - 1);
          double[] fifths = Timing.segmentMedians(paired[2], 5);
          o.put("overheadMin", Arrays.stream(fifths).min().orElseThrow() - 1);
          o.put("overheadMax", Arrays.stream(fifths).max().orElseThrow() - 1);
          o.put("pairs", paired[2].length);
        }
      }
      ObjectNode critical = out.putObject("observeErrorsMicros");
      for (int b : BATCH_SIZES) {
        double[] errors = first.errors(images.slice(0, b), MEASURE);
        ObjectNode o = critical.putObject(String.valueOf(b));
        double[][] single = contended(any, errors, 1);
        o.put("p50", Timing.percentile(single[0], 0.5));
        o.put("p99", Timing.percentile(single[0], 0.99));
        double[][] many = contended(any, errors, THREADS);
        o.put("threads", THREADS);
        o.put("contendedP50", Timing.percentile(many[0], 0.5));
        o.put("contendedP99", Timing.percentile(many[0], 0.99));
        o.put("contendedCallsPerSecond", many[1][0]);
        o.put("cores", Runtime.getRuntime().availableProcessors());
      }
      return out;
    } finally {
      try {
        Files.deleteIfExists(cache);
      } catch (IOException e) {
        log.println("could not delete " + cache + ": " + e.getMessage());
      }
    }
  }

  /**
   * {@code threads} threads call {@code observeErrors(errors)} for the set time: {per-call
   * microseconds (up to 200,000 per thread), {calls per second over all threads}}.
   */
  private double[][] contended(DriftMonitor monitor, double[] errors, int threads) {
    for (int i = 0; i < 20_000; i++) {
      monitor.observeErrors(errors); // warm-up
    }
    long[][] samples = new long[threads][MAX_SAMPLES];
    int[] kept = new int[threads];
    long[] calls = new long[threads];
    CountDownLatch start = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    long[] window = new long[2];
    for (int k = 0; k < threads; k++) {
      int id = k;
      workers[k] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long deadline = window[1];
        long count = 0;
        for (long now = System.nanoTime(); now < deadline; count++) {
          monitor.observeErrors(errors);
          long after = System.nanoTime();
          if (kept[id] < MAX_SAMPLES) {
            samples[id][kept[id]++] = after - now;
          }
          now = after;
        }
        calls[id] = count;
      }, "monitor-bench-" + k);
      workers[k].start();
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + (long) (seconds * 1e9);
    start.countDown();
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the monitor", e);
      }
    }
    double elapsed = Math.max(1e-9, (System.nanoTime() - window[0]) / 1e9);
    int total = Arrays.stream(kept).sum();
    double[] micros = new double[total];
    int at = 0;
    for (int k = 0; k < threads; k++) {
      for (int i = 0; i < kept[k]; i++) {
        micros[at++] = samples[k][i] / 1e3;
      }
    }
    return new double[][] {micros, {Arrays.stream(calls).sum() / elapsed}};
  }
}
