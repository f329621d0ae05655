package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The speed benchmark's result as a Markdown table, with DL4J / PyTorch ratios. Stateless. */
public final class BenchTable {

  private BenchTable() {}

  /**
   * The table of a result written by {@link SpeedBenchmark#run()}.
   *
   * @param r the result
   * @return Markdown
   */
  public static String of(JsonNode r) {
    StringBuilder t = new StringBuilder();
    JsonNode torch = r.path("pytorch");
    boolean haveTorch = torch.has("inferenceImagesPerSecond");
    t.append(String.format(Locale.ROOT, "Measured %s on %s; %s.%n%n", r.path("date").asText(), r.path("machine").asText(),
        r.path("backend").asText()));
    t.append("| measure | DL4J (Drift4j) | PyTorch ").append(haveTorch ? torch.path("version").asText() : "")
        .append(" | DL4J / PyTorch | target |\n|---|---|---|---|---|\n");
    r.path("dl4jInferenceImagesPerSecond").fields().forEachRemaining(e -> {
      double d = e.getValue().asDouble();
      double p = torch.path("inferenceImagesPerSecond").path(e.getKey()).asDouble(Double.NaN);
      t.append(String.format(Locale.ROOT, "| inference, batch %s (images/s) | %.0f | %s | %s | ≥ 1.0× |%n", e.getKey(), d,
          haveTorch ? String.format(Locale.ROOT, "%.0f", p) : "n/a", haveTorch ? String.format(Locale.ROOT, "%.2f×", d / p) : "n/a"));
    });
    r.path("onnxInferenceImagesPerSecond").fields().forEachRemaining(e -> {
      double d = e.getValue().asDouble();
      double p = torch.path("inferenceImagesPerSecond").path(e.getKey()).asDouble(Double.NaN);
      t.append(String.format(Locale.ROOT, "| ONNX Runtime inference, batch %s (images/s) | %.0f | %s | %s | ≥ 2× at 32, 256 |%n",
          e.getKey(), d, haveTorch ? String.format(Locale.ROOT, "%.0f", p) : "n/a",
          haveTorch ? String.format(Locale.ROOT, "%.2f×", d / p) : "n/a"));
    });
    double dt = r.path("dl4jTrainingImagesPerSecond").asDouble();
    double pt = torch.path("trainingImagesPerSecond").asDouble(Double.NaN);
    t.append(String.format(Locale.ROOT, "| training, one epoch, batch 128, Adam (images/s) | %.0f | %s | %s | ≥ 0.5× |%n", dt,
        haveTorch ? String.format(Locale.ROOT, "%.0f", pt) : "n/a", haveTorch ? String.format(Locale.ROOT, "%.2f×", dt / pt) : "n/a"));
    r.path("checkLatencyMillis").fields().forEachRemaining(e -> t.append(String.format(Locale.ROOT,
        "| `check()` latency, batch %s, p50 / p99 (ms) | %.2f / %.2f | | | |%n", e.getKey(),
        e.getValue().path("p50").asDouble(), e.getValue().path("p99").asDouble())));
    String path = r.path("onnxErrorPath").asText("ONNX error head");
    r.path("onnxCheckLatencyMillis").fields().forEachRemaining(e -> {
      JsonNode head = r.path("onnxCheckOverheadErrorHead").path(e.getKey());
      t.append(String.format(Locale.ROOT,
          "| ONNX `check()` latency, batch %s, p50 / p99 (ms); overhead beyond the engine's %.2f ms, median of paired blocks"
              + " (BCE via the %s, and its range over fifths of the pairs; MSE%s) | %.2f / %.2f; %+.0f%% (%+.0f…%+.0f%%);"
              + " %+.0f%%%s | | | overhead < 10%% |%n",
          e.getKey(), e.getValue().path("engineP50").asDouble(), path, head.isNumber() ? "; BCE via the ONNX error head" : "",
          e.getValue().path("p50").asDouble(), e.getValue().path("p99").asDouble(), 100 * e.getValue().path("overhead").asDouble(),
          100 * e.getValue().path("overheadMin").asDouble(), 100 * e.getValue().path("overheadMax").asDouble(),
          100 * r.path("onnxCheckOverheadMse").path(e.getKey()).asDouble(Double.NaN),
          head.isNumber() ? String.format(Locale.ROOT, "; %+.0f%%", 100 * head.asDouble()) : ""));
    });
    JsonNode mon = r.path("monitor");
    if (mon.has("observeOverhead")) {
      StringBuilder cell = new StringBuilder();
      mon.path("observeOverhead").fields().forEachRemaining(engine -> {
        cell.append(cell.length() == 0 ? "" : "; ").append(engine.getKey());
        engine.getValue().fields().forEachRemaining(b -> cell.append(String.format(Locale.ROOT, " %s: %+.1f%% (%+.1f…%+.1f%%)",
            b.getKey(), 100 * b.getValue().path("overhead").asDouble(), 100 * b.getValue().path("overheadMin").asDouble(),
            100 * b.getValue().path("overheadMax").asDouble())));
      });
      mon.path("observeErrorsMicros").fields().forEachRemaining(b -> cell.append(String.format(Locale.ROOT,
          "; observeErrors(%s): %.2f / %.2f µs", b.getKey(), b.getValue().path("p50").asDouble(),
          b.getValue().path("contendedP50").asDouble())));
      t.append("| `DriftMonitor.observe()` overhead beyond the engine's `errors()`, batch 1 and 32, median of paired blocks"
          + " (range over fifths); `observeErrors` alone, p50 with 1 / 16 threads | ").append(cell)
          .append(" | | | overhead < 10% |\n");
    }
    t.append(String.format(Locale.ROOT, "| rank-test decision, 1,000 vs 10,000 errors, p50 / p99 (ms) | %.3f / %.3f | | | < 1 ms |%n",
        r.path("policyMillisP50").asDouble(), r.path("policyMillisP99").asDouble()));
    JsonNode m = r.path("memory");
    if (m.has("peakHeapBytes")) {
      t.append(String.format(Locale.ROOT, "| scoring %d images in one `check()`, -Xmx512m: peak heap / peak RSS (MB) | %.0f / %.0f"
              + " (%.1f s) | | | fits in 512 MB heap |%n", m.path("images").asInt(), m.path("peakHeapBytes").asDouble() / 1e6,
          m.path("peakRssBytes").asDouble() / 1e6, m.path("seconds").asDouble()));
    } else {
      t.append("| scoring in -Xmx512m | failed: ").append(m.path("error").asText()).append(" | | | fits |\n");
    }
    if (!haveTorch) {
      t.append("\nPyTorch figures unavailable: ").append(torch.path("error").asText()).append("\n");
    }
    return t.toString();
  }
}
