package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The result of {@link SizeBenchmark#run()} as a Markdown table, with ratios to PyTorch. Stateless. */
public final class SizeBenchTable {

  private SizeBenchTable() {}

  /**
   * The table of a result written by {@link SizeBenchmark#run()}.
   *
   * @param r the result
   * @return Markdown
   */
  public static String of(JsonNode r) {
    StringBuilder t = new StringBuilder();
    JsonNode s = r.path("settings");
    t.append(String.format(Locale.ROOT, "Measured %s on %s; %s. Training: %d synthetic images, batch %d, Adam, the rate"
            + " of the 2nd epoch (PyTorch: one epoch after two warm-up steps), the median of %d fresh processes per"
            + " engine (range in brackets); scoring: batch 32, %s s per rate;"
            + " memory: one `check()` of %d images, %s.%n%n", r.path("date").asText(), r.path("machine").asText(),
        r.path("backend").asText(), s.path("trainingImages").asInt(), s.path("trainingBatch").asInt(),
        s.path("trainingRepeats").asInt(1),
        s.path("seconds").asText(), s.path("memoryImages").asInt(), s.path("scoringHeap").asText()));
    t.append("| size | training, images/s: DL4J / PyTorch (ratio) | batch 32, images/s: ONNX Runtime / PyTorch (ratio)"
        + " | DL4J / PyTorch (ratio) | `check()` of N, ONNX: s; peak heap / RSS (MB) | DL4J: s; peak heap / RSS (MB) |\n"
        + "|---|---|---|---|---|---|\n");
    for (JsonNode size : r.path("sizes")) {
      JsonNode score = size.path("score");
      JsonNode torch = size.path("pytorch");
      double torchInference = torch.path("inferenceImagesPerSecond").path("32").asDouble(Double.NaN);
      t.append("| ").append(size.path("shape").asText()).append(" | ")
          .append(training(size))
          .append(" | ").append(versus(score.path("onnx"), "reconstructImagesPerSecondBatch32", torchInference))
          .append(" | ").append(versus(score.path("dl4j"), "reconstructImagesPerSecondBatch32", torchInference))
          .append(" | ").append(memory(score.path("onnx"))).append(" | ").append(memory(score.path("dl4j")))
          .append(" |\n");
    }
    t.append("\nTargets: training ≥ 1.0× PyTorch; batch 32 ≥ 2× PyTorch on ONNX Runtime and ≥ 1× on DL4J;"
        + " 10,000 images of 3x128x128 in one `check()` with -Xmx512m and RSS < 1.5 GB.\n");
    if (r.has("pytorchSkipped")) {
      t.append("PyTorch figures unavailable: ").append(r.path("pytorchSkipped").asText()).append("\n");
    }
    for (JsonNode size : r.path("sizes")) {
      for (String part : new String[] {"train", "score", "pytorch"}) {
        String error = size.path(part).path("error").asText("");
        if (!error.isEmpty() && !r.has("pytorchSkipped")) {
          t.append(size.path("shape").asText()).append(' ').append(part).append(" failed: ").append(error).append("\n");
        }
      }
    }
    return t.toString();
  }

  /** Medians of the repeated processes, with their ranges; a single process where none were repeated. */
  private static String training(JsonNode size) {
    JsonNode t = size.path("training");
    if (!t.has("dl4jMedian")) {
      return versus(size.path("train"), "imagesPerSecond",
          size.path("pytorch").path("trainingImagesPerSecond").asDouble(Double.NaN));
    }
    String dl4j = String.format(Locale.ROOT, "%.1f [%s]", t.path("dl4jMedian").asDouble(), range(t.path("dl4j")));
    if (!t.has("pytorchMedian")) {
      return dl4j + " / n/a";
    }
    return String.format(Locale.ROOT, "%s / %.1f [%s] (%.2f×)", dl4j, t.path("pytorchMedian").asDouble(),
        range(t.path("pytorch")), t.path("ratioOfMedians").asDouble());
  }

  private static String range(JsonNode rates) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (JsonNode v : rates) {
      lo = Math.min(lo, v.asDouble());
      hi = Math.max(hi, v.asDouble());
    }
    return String.format(Locale.ROOT, "%.0f–%.0f", lo, hi);
  }

  private static String versus(JsonNode drift4j, String field, double torch) {
    if (!drift4j.has(field)) {
      return "failed";
    }
    double d = drift4j.path(field).asDouble();
    return Double.isNaN(torch) ? String.format(Locale.ROOT, "%.1f / n/a", d)
        : String.format(Locale.ROOT, "%.1f / %.1f (%.2f×)", d, torch, d / torch);
  }

  private static String memory(JsonNode engine) {
    if (!engine.has("peakHeapBytes")) {
      return "failed";
    }
    return String.format(Locale.ROOT, "%,d images: %.1f; %.0f / %.0f", engine.path("checked").asInt(),
        engine.path("checkSeconds").asDouble(), engine.path("peakHeapBytes").asDouble() / 1e6,
        engine.path("peakRssDuringCheckBytes").asDouble() / 1e6);
  }
}
