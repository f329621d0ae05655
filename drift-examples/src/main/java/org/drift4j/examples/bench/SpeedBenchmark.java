package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftPolicy;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jBackend;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.examples.data.Idx;

/**
 * The speed and memory benchmark: DL4J (through Drift4j) and PyTorch on the same synthetic images,
 * in one run, so that ratios are comparable on a shared, noisy machine. Prints a table and writes
 * JSON.
 */
public final class SpeedBenchmark {

  /** Settings. */
  public record Settings(int[] batchSizes, double seconds, int trainingImages, int memoryImages, String python,
      Path script, Path out) {}

  private final Settings settings;
  private final PrintStream log;

  public SpeedBenchmark(Settings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  /** Runs everything and returns the JSON written to {@code out/bench.json}. */
  public ObjectNode run() throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode result = json.createObjectNode();
    result.put("date", Instant.now().toString());
    result.put("machine", machine());
    result.put("backend", Dl4jBackend.ensureConfigured());
    Files.createDirectories(settings.out());
    ImageBatch images = BenchData.images(settings.trainingImages(), 1);
    Path idx = settings.out().resolve("bench-images-idx3-ubyte.gz");
    Idx.writeImages(images, idx);

    log.println("DL4J: training one warm-up epoch, then one timed epoch of " + images.size() + " images...");
    Dl4jTrainer.builder(Dl4jArchitecture.reference(BenchData.SHAPE)).epochs(1).batchSize(128)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).validationFraction(0).build().train(images.slice(0, 1024));
    Dl4jTrainer.Result trained = Dl4jTrainer.builder(Dl4jArchitecture.reference(BenchData.SHAPE)).epochs(1).batchSize(128)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).validationFraction(0).build().train(images);
    double dl4jTraining = trained.history().get(0).imagesPerSecond();
    Dl4jAutoencoder ae = trained.autoencoder();

    ObjectNode dl4jInference = result.putObject("dl4jInferenceImagesPerSecond");
    for (int b : settings.batchSizes()) {
      ImageBatch batch = images.slice(0, b);
      dl4jInference.put(String.valueOf(b), rate(() -> ae.reconstruct(batch), b));
    }
    result.put("dl4jTrainingImagesPerSecond", dl4jTraining);

    log.println("ONNX Runtime: exporting the trained model and measuring...");
    byte[] onnxBytes = org.drift4j.dl4j.Dl4jOnnxExporter.export(ae);
    org.drift4j.onnx.OnnxAutoencoder onnx = org.drift4j.onnx.OnnxAutoencoder.fromBytes(onnxBytes,
        org.drift4j.onnx.OnnxAutoencoder.Options.DEFAULT);
    org.drift4j.onnx.OnnxVerification verification = org.drift4j.onnx.OnnxVerification.compare(ae, onnx,
        images.slice(0, 256), org.drift4j.onnx.OnnxVerification.DEFAULT_TOLERANCE);
    result.put("onnxMaxAbsDifference", verification.maxAbsDifference());
    onnx.close();
    onnx = org.drift4j.onnx.OnnxAutoencoder.fromBytes(onnxBytes, org.drift4j.onnx.OnnxAutoencoder.Options.DEFAULT,
        verification);
    ObjectNode onnxInference = result.putObject("onnxInferenceImagesPerSecond");
    for (int b : settings.batchSizes()) {
      ImageBatch batch = images.slice(0, b);
      org.drift4j.onnx.OnnxAutoencoder engine = onnx;
      onnxInference.put(String.valueOf(b), rate(() -> engine.reconstruct(batch), b));
    }

    log.println("check() latency...");
    Baseline baseline = Baseline.compute(ae, BenchData.images(2000, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
    ObjectNode latency = result.putObject("checkLatencyMillis");
    ObjectNode onnxLatency = result.putObject("onnxCheckLatencyMillis");
    ObjectNode onnxMseOverhead = result.putObject("onnxCheckOverheadMse");
    ObjectNode onnxHeadOverhead = result.putObject("onnxCheckOverheadErrorHead");
    result.put("onnxErrorPath", onnx.usesVectorApi() ? "Java Vector API" : "ONNX error head");
    Baseline mseBaseline = Baseline.compute(onnx, BenchData.images(500, 2), ReconstructionError.MEAN_SQUARED_ERROR);
    // the same model with errors from the ONNX error head, as without --add-modules jdk.incubator.vector
    org.drift4j.onnx.OnnxAutoencoder onnxHead = org.drift4j.onnx.OnnxAutoencoder.fromBytes(onnxBytes,
        new org.drift4j.onnx.OnnxAutoencoder.Options(Runtime.getRuntime().availableProcessors(), false), verification);
    try (DriftDetector detector = DriftDetector.builder().autoencoder(ae).baseline(baseline).build();
        DriftDetector onnxDetector = DriftDetector.builder().autoencoder(onnx).baseline(baseline).build();
        DriftDetector onnxHeadDetector = DriftDetector.builder().autoencoder(onnxHead).baseline(baseline).build();
        DriftDetector onnxMseDetector = DriftDetector.builder().autoencoder(onnx).baseline(mseBaseline).build()) {
      for (int b : settings.batchSizes()) {
        ImageBatch batch = images.slice(1000, 1000 + b);
        double[] ms = latencies(() -> detector.check(batch), b);
        ObjectNode node = latency.putObject(String.valueOf(b));
        node.put("p50", percentile(ms, 0.5));
        node.put("p99", percentile(ms, 0.99));
        org.drift4j.onnx.OnnxAutoencoder engine = onnx;
        // paired: blocks of the engine alone and of check() in turn, so machine noise hits both alike
        double[][] paired = pairedLatencies(() -> engine.reconstruct(batch), () -> onnxDetector.check(batch));
        double[] engineMs = paired[0];
        double[] checkMs = paired[1];
        ObjectNode o = onnxLatency.putObject(String.valueOf(b));
        o.put("p50", percentile(checkMs, 0.5));
        o.put("p99", percentile(checkMs, 0.99));
        o.put("engineP50", percentile(engineMs, 0.5));
        o.put("overhead", percentile(paired[2], 0.5) - 1);
        o.put("pairs", paired[2].length);
        // the same median over each fifth of the block pairs, to show how much the machine moved it
        double[] fifths = segmentMedians(paired[2], 5);
        o.put("overheadMin", Arrays.stream(fifths).min().orElseThrow() - 1);
        o.put("overheadMax", Arrays.stream(fifths).max().orElseThrow() - 1);
        // the same with a mean-squared-error baseline: no logarithms
        double[][] mse = pairedLatencies(() -> engine.reconstruct(batch), () -> onnxMseDetector.check(batch));
        onnxMseOverhead.put(String.valueOf(b), percentile(mse[2], 0.5) - 1);
        if (onnx.usesVectorApi()) {
          double[][] head = pairedLatencies(() -> engine.reconstruct(batch), () -> onnxHeadDetector.check(batch));
          onnxHeadOverhead.put(String.valueOf(b), percentile(head[2], 0.5) - 1);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }

    log.println("decision policy: 1,000 errors against 10,000...");
    SplittableRandom r = new SplittableRandom(5);
    Baseline big = Baseline.of(r.doubles(10_000, 0.05, 0.2).toArray(), ReconstructionError.BINARY_CROSS_ENTROPY,
        BenchData.SHAPE, "bench", Instant.EPOCH);
    double[] batchErrors = r.doubles(1_000, 0.05, 0.21).toArray();
    DriftPolicy policy = DriftPolicy.rankTest(0.01);
    double[] policyMs = latencies(() -> policy.decide(batchErrors, big), 1000);
    result.put("policyMillisP50", percentile(policyMs, 0.5));
    result.put("policyMillisP99", percentile(policyMs, 0.99));

    log.println("memory: scoring " + settings.memoryImages() + " images with -Xmx512m in a child JVM...");
    result.set("memory", memoryProbe(json));

    log.println("PyTorch reference (" + settings.python() + " " + settings.script() + ")...");
    result.set("pytorch", pytorch(json, idx));
    json.writeValue(settings.out().resolve("bench.json").toFile(), result);
    return result;
  }

  /** The table of a result, Markdown. */
  public static String table(JsonNode r) {
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

  private double rate(Runnable task, int imagesPerCall) {
    for (int i = 0; i < 3; i++) {
      task.run();
    }
    long start = System.nanoTime();
    long deadline = start + (long) (settings.seconds() * 1e9);
    long calls = 0;
    while (System.nanoTime() < deadline) {
      task.run();
      calls++;
    }
    return calls * imagesPerCall / ((System.nanoTime() - start) / 1e9);
  }

  private double[] latencies(Runnable task, int batch) {
    for (int i = 0; i < 5; i++) {
      task.run();
    }
    List<Double> ms = new ArrayList<>();
    long deadline = System.nanoTime() + (long) (settings.seconds() * 1e9);
    while (System.nanoTime() < deadline || ms.size() < 20) {
      long t0 = System.nanoTime();
      task.run();
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    return ms.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Alternating blocks of about 0.1 s of {@code first} and of {@code second}, the order swapped
   * every pair, for the set time: {all first ms, all second ms, per block pair: median second /
   * median first}. Blocks, not single calls, because a service calls one of them over and over:
   * each keeps its own session's weights in the caches (alternating single calls would measure
   * both cold); pairs of neighbouring blocks see the same load on a shared machine.
   */
  private double[][] pairedLatencies(Runnable first, Runnable second) {
    for (int i = 0; i < 5; i++) {
      first.run();
      second.run();
    }
    List<Double> firsts = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    long deadline = System.nanoTime() + (long) (settings.seconds() * 1e9);
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

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double percentile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  }

  private JsonNode memoryProbe(ObjectMapper json) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Process p = new ProcessBuilder(java, "-Xmx512m", "-Djava.awt.headless=true", "-cp", classpath,
        MemoryProbe.class.getName(), String.valueOf(settings.memoryImages())).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      ObjectNode failed = json.createObjectNode();
      failed.put("error", "child JVM failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): "
          + err.lines().filter(l -> l.contains("Exception") || l.contains("Error")).findFirst().orElse(err.trim()));
      return failed;
    }
    String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
    return json.readTree(line);
  }

  private JsonNode pytorch(ObjectMapper json, Path idx) throws IOException, InterruptedException {
    ObjectNode failed = json.createObjectNode();
    if (!Files.exists(settings.script())) {
      failed.put("error", "script not found: " + settings.script());
      return failed;
    }
    String batches = String.join(",", Arrays.stream(settings.batchSizes()).mapToObj(String::valueOf).toList());
    Process p;
    try {
      p = new ProcessBuilder(settings.python(), settings.script().toString(), "--images", idx.toString(), "--threads",
          String.valueOf(Runtime.getRuntime().availableProcessors()), "--batch-sizes", batches, "--seconds",
          String.valueOf(settings.seconds()), "--train-batch", "128").start();
    } catch (IOException e) {
      failed.put("error", "could not run " + settings.python() + ": " + e.getMessage()
          + " (install Debian's python3-torch: apt-get install python3-torch)");
      return failed;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(900, TimeUnit.SECONDS) || p.exitValue() != 0) {
      failed.put("error", err.isBlank() ? "exit " + p.exitValue() : err.trim());
      return failed;
    }
    return json.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
    } catch (IOException ignored) {
      // not Linux
    }
    return String.format(Locale.ROOT, "%s, %d cores, %s %s, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
  }

}
