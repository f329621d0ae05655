package org.drift4j.examples.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftExplainer;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImageBatch;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.examples.cli.Progress;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.onnx.OnnxModelException;
import org.drift4j.spi.Autoencoder;

/**
 * What an explanation costs beside a check of the same batch, and what keeping 1,000 images for
 * explanations costs {@code observe()}, on DL4J and on its ONNX export, in one JVM: the two
 * alternate (the order swapped every pair), so both see the same load on a shared machine. Not
 * thread-safe.
 */
final class ExplainCost {

  /** Images a monitor keeps for explanations in the comparison. */
  static final int RETAINED = 1000;
  /** Images per request of the observe comparison. */
  static final int REQUEST = 32;

  private final int[] sizes;
  private final double seconds;
  private final Progress progress;

  ExplainCost(int[] sizes, double seconds, Progress progress) {
    this.sizes = sizes.clone();
    this.seconds = seconds;
    this.progress = progress;
  }

  /**
   * Measures on {@code dl4j} and its ONNX export (with its own baseline from {@code validation}),
   * with batches from {@code pool}.
   */
  ObjectNode measure(Dl4jAutoencoder dl4j, Baseline dl4jBaseline, ImageBatch validation, ImageBatch pool,
      ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    node.put("seconds", seconds);
    OnnxAutoencoder onnx;
    try {
      onnx = OnnxAutoencoder.fromBytes(Dl4jOnnxExporter.export(dl4j), OnnxConfig.ofDefaults());
    } catch (OnnxModelException e) {
      throw new IllegalStateException("the ONNX export did not load: " + e.getMessage(), e);
    }
    try {
      for (Autoencoder engine : new Autoencoder[] {dl4j, onnx}) {
        String name = engine == dl4j ? "dl4j" : "onnx";
        Baseline baseline = engine == dl4j ? dl4jBaseline
            : Baseline.compute(engine, validation, dl4jBaseline.errorMeasure());
        ArrayNode rows = node.putArray(name);
        DriftDetector detector = DriftDetector.builder(engine, baseline).build();
        DriftExplainer explainer = DriftExplainer.builder(engine, baseline).build();
        for (int m : sizes) {
          ImageBatch batch = pool.slice(0, Math.min(m, pool.size()));
          int top = Math.min(16, batch.size());
          double[][] t = paired(() -> detector.check(batch), () -> explainer.explain(batch, top), 1);
          ObjectNode row = rows.addObject();
          row.put("batchSize", batch.size());
          put(row, t, "checkMs", "explainMs", "explainOverCheck");
          progress.say(String.format(Locale.ROOT, "%s, %d images: check %.1f ms, explain %.1f ms", name, batch.size(),
              median(t[0]), median(t[1])));
        }
        node.set(name + "Observe", observe(engine, baseline, pool, json));
      }
    } finally {
      onnx.close();
    }
    return node;
  }

  /** {@code observe()} of 32-image requests by a monitor keeping no images and one keeping 1,000. */
  private ObjectNode observe(Autoencoder engine, Baseline baseline, ImageBatch pool, ObjectMapper json) {
    DriftMonitorConfig.Builder config = DriftMonitorConfig.custom().expectedRunTime(2_000);
    DriftMonitor plain = DriftMonitor.builder(engine, baseline).config(config.retainedImages(0).build()).build();
    DriftMonitor keeping = DriftMonitor.builder(engine, baseline).config(config.retainedImages(RETAINED).build()).build();
    ImageBatch[] requests = new ImageBatch[pool.size() / REQUEST];
    for (int r = 0; r < requests.length; r++) {
      requests[r] = pool.slice(r * REQUEST, (r + 1) * REQUEST);
    }
    int[] next = {0, 0};
    double[][] t = paired(() -> plain.observe(requests[next[0]++ % requests.length]),
        () -> keeping.observe(requests[next[1]++ % requests.length]), 10);
    ObjectNode node = json.createObjectNode();
    node.put("requestSize", REQUEST);
    node.put("retainedImages", RETAINED);
    put(node, t, "observeMs", "observeRetainingMs", "retainingOverPlain");
    progress.say(String.format(Locale.ROOT, "observe(%d images): %.2f ms, keeping %d images %.2f ms", REQUEST,
        median(t[0]), RETAINED, median(t[1])));
    return node;
  }

  /**
   * Alternating blocks of {@code calls} calls of {@code first} and of {@code second}, the order
   * swapped every pair, for the set time and at least 10 pairs: {ms per call of first, of second,
   * per pair: second's block over first's}.
   */
  private double[][] paired(Runnable first, Runnable second, int calls) {
    long warm = System.nanoTime() + (long) (seconds / 4 * 1e9);
    for (int i = 0; i < 3 || System.nanoTime() < warm; i++) {
      block(first, calls);
      block(second, calls);
    }
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline || ratios.size() < 10) {
      boolean firstFirst = ratios.size() % 2 == 0;
      double x = firstFirst ? block(first, calls) : 0;
      double y = block(second, calls);
      if (!firstFirst) {
        x = block(first, calls);
      }
      a.add(x);
      b.add(y);
      ratios.add(y / x);
    }
    return new double[][] {unbox(a), unbox(b), unbox(ratios)};
  }

  private static double block(Runnable task, int calls) {
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      task.run();
    }
    return (System.nanoTime() - t0) / 1e6 / calls;
  }

  private static void put(ObjectNode row, double[][] t, String first, String second, String ratio) {
    row.put(first, median(t[0]));
    row.put(second, median(t[1]));
    row.put(ratio, median(t[2]));
    row.put(ratio + "P25", quantile(t[2], 0.25));
    row.put(ratio + "P75", quantile(t[2], 0.75));
    row.put("pairs", t[2].length);
  }

  static double median(double[] v) {
    return quantile(v, 0.5);
  }

  /** The {@code q} quantile of {@code v}, linear between order statistics. */
  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
