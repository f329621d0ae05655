package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftPolicy;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jBackend;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.examples.data.Idx;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.onnx.OnnxVerification;

/**
 * The speed and memory benchmark: DL4J (through Drift4j), ONNX Runtime and PyTorch on the same
 * synthetic images, in one run, so that ratios are comparable on a shared, noisy machine. Writes
 * JSON; {@link BenchTable} turns it into a table.
 */
public final class SpeedBenchmark {

  /**
   * Settings.
   *
   * @param batchSizes the inference batch sizes
   * @param seconds how long each measurement runs
   * @param trainingImages images of the timed training epoch
   * @param memoryImages images scored in one check() by the memory probe
   * @param python the Python interpreter that runs the PyTorch reference
   * @param script the PyTorch reference script
   * @param out where bench.json goes
   */
  public record Settings(int[] batchSizes, double seconds, int trainingImages, int memoryImages, String python,
      Path script, Path out) {}

  private final Settings settings;
  private final PrintStream log;
  private final Timing timing;

  /**
   * A benchmark.
   *
   * @param settings what to measure
   * @param log where progress goes
   */
  public SpeedBenchmark(Settings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
    this.timing = new Timing(settings.seconds());
  }

  /**
   * Runs everything and returns the JSON written to {@code out/bench.json}.
   *
   * @return the result
   * @throws IOException if the result cannot be written
   * @throws InterruptedException if interrupted while a child process runs
   */
  public ObjectNode run() throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode result = json.createObjectNode();
    result.put("date", Instant.now().toString());
    result.put("machine", machine());
    result.put("backend", Dl4jBackend.describe());
    Files.createDirectories(settings.out());
    ImageBatch images = BenchData.images(settings.trainingImages(), 1);
    Path idx = settings.out().resolve("bench-images-idx3-ubyte.gz");
    Idx.writeImages(images, idx);

    try (Dl4jAutoencoder ae = trainDl4j(images, result)) {
      ObjectNode dl4jInference = result.putObject("dl4jInferenceImagesPerSecond");
      for (int b : settings.batchSizes()) {
        ImageBatch batch = images.slice(0, b);
        dl4jInference.put(String.valueOf(b), timing.rate(() -> ae.reconstruct(batch), b));
      }
      log.println("ONNX Runtime: exporting the trained model and measuring...");
      byte[] onnxBytes = Dl4jOnnxExporter.export(ae);
      OnnxVerification verification;
      try (OnnxAutoencoder unverified = OnnxAutoencoder.fromBytes(onnxBytes, OnnxConfig.ofDefaults())) {
        verification = OnnxVerification.compare(ae, unverified, images.slice(0, 256), OnnxVerification.DEFAULT_TOLERANCE);
      }
      result.put("onnxMaxAbsDifference", verification.maxAbsDifference());
      // the same model with errors from the ONNX error head, as without --add-modules jdk.incubator.vector
      OnnxConfig headConfig = OnnxConfig.custom().vectorErrors(false).build();
      try (OnnxAutoencoder onnx = OnnxAutoencoder.fromBytes(onnxBytes, OnnxConfig.ofDefaults(), verification);
          OnnxAutoencoder onnxHead = OnnxAutoencoder.fromBytes(onnxBytes, headConfig, verification)) {
        ObjectNode onnxInference = result.putObject("onnxInferenceImagesPerSecond");
        for (int b : settings.batchSizes()) {
          ImageBatch batch = images.slice(0, b);
          onnxInference.put(String.valueOf(b), timing.rate(() -> onnx.reconstruct(batch), b));
        }
        measureChecks(images, ae, onnx, onnxHead, result);
        result.set("monitor", new MonitorOverhead(timing, settings.seconds(), log).measure(images, onnx, ae));
      }
    }
    measurePolicy(result);
    log.println("memory: scoring " + settings.memoryImages() + " images with -Xmx512m in a child JVM...");
    result.set("memory", memoryProbe(json));
    log.println("PyTorch reference (" + settings.python() + " " + settings.script() + ")...");
    result.set("pytorch", pytorch(json, idx));
    json.writeValue(settings.out().resolve("bench.json").toFile(), result);
    return result;
  }

  private Dl4jAutoencoder trainDl4j(ImageBatch images, ObjectNode result) {
    log.println("DL4J: training one warm-up epoch, then one timed epoch of " + images.size() + " images...");
    Dl4jTrainer trainer = Dl4jTrainer.builder(Dl4jArchitecture.reference(BenchData.SHAPE)).epochs(1).batchSize(128)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).validationFraction(0).build();
    try (Dl4jAutoencoder warmUp = trainer.train(images.slice(0, 1024)).autoencoder()) {
      log.println("warm-up done: " + warmUp.fingerprint());
    }
    Dl4jTrainer.Result trained = trainer.train(images);
    result.put("dl4jTrainingImagesPerSecond", trained.history().get(0).imagesPerSecond());
    return trained.autoencoder();
  }

  private void measureChecks(ImageBatch images, Dl4jAutoencoder ae, OnnxAutoencoder onnx, OnnxAutoencoder onnxHead,
      ObjectNode result) {
    log.println("check() latency...");
    Baseline baseline = Baseline.compute(ae, BenchData.images(2000, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
    Baseline mseBaseline = Baseline.compute(onnx, BenchData.images(500, 2), ReconstructionError.MEAN_SQUARED_ERROR);
    DriftDetector detector = DriftDetector.builder(ae, baseline).build();
    DriftDetector onnxDetector = DriftDetector.builder(onnx, baseline).build();
    DriftDetector onnxHeadDetector = DriftDetector.builder(onnxHead, baseline).build();
    DriftDetector onnxMseDetector = DriftDetector.builder(onnx, mseBaseline).build();
    ObjectNode latency = result.putObject("checkLatencyMillis");
    ObjectNode onnxLatency = result.putObject("onnxCheckLatencyMillis");
    ObjectNode onnxMseOverhead = result.putObject("onnxCheckOverheadMse");
    ObjectNode onnxHeadOverhead = result.putObject("onnxCheckOverheadErrorHead");
    result.put("onnxErrorPath", onnx.usesVectorApi() ? "Java Vector API" : "ONNX error head");
    for (int b : settings.batchSizes()) {
      ImageBatch batch = images.slice(1000, 1000 + b);
      double[] ms = timing.latencies(() -> detector.check(batch));
      ObjectNode node = latency.putObject(String.valueOf(b));
      node.put("p50", Timing.percentile(ms, 0.5));
      node.put("p99", Timing.percentile(ms, 0.99));
      // paired: blocks of the engine alone and of check() in turn, so machine noise hits both alike
      double[][] paired = timing.paired(() -> onnx.reconstruct(batch), () -> onnxDetector.check(batch));
      ObjectNode o = onnxLatency.putObject(String.valueOf(b));
      o.put("p50", Timing.percentile(paired[1], 0.5));
      o.put("p99", Timing.percentile(paired[1], 0.99));
      o.put("engineP50", Timing.percentile(paired[0], 0.5));
      o.put("overhead", Timing.percentile(paired[2], 0.5) - 1);
      o.put("pairs", paired[2].length);
      // the same median over each fifth of the block pairs, to show how much the machine moved it
      double[] fifths = Timing.segmentMedians(paired[2], 5);
      o.put("overheadMin", Arrays.stream(fifths).min().orElseThrow() - 1);
      o.put("overheadMax", Arrays.stream(fifths).max().orElseThrow() - 1);
      // the same with a mean-squared-error baseline: no logarithms
      double[][] mse = timing.paired(() -> onnx.reconstruct(batch), () -> onnxMseDetector.check(batch));
      onnxMseOverhead.put(String.valueOf(b), Timing.percentile(mse[2], 0.5) - 1);
      if (onnx.usesVectorApi()) {
        double[][] head = timing.paired(() -> onnx.reconstruct(batch), () -> onnxHeadDetector.check(batch));
        onnxHeadOverhead.put(String.valueOf(b), Timing.percentile(head[2], 0.5) - 1);
      }
    }
  }

  private void measurePolicy(ObjectNode result) {
    log.println("decision policy: 1,000 errors against 10,000...");
    SplittableRandom r = new SplittableRandom(5);
    Baseline big = Baseline.of(r.doubles(10_000, 0.05, 0.2).toArray(), ReconstructionError.BINARY_CROSS_ENTROPY,
        BenchData.SHAPE, "bench", Instant.EPOCH);
    double[] batchErrors = r.doubles(1_000, 0.05, 0.21).toArray();
    DriftPolicy policy = DriftPolicy.rankTest(0.01);
    double[] policyMs = timing.latencies(() -> policy.decide(batchErrors, big));
    result.put("policyMillisP50", Timing.percentile(policyMs, 0.5));
    result.put("policyMillisP99", Timing.percentile(policyMs, 0.99));
  }

  private JsonNode memoryProbe(ObjectMapper json) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ChildProcess.Outcome child = ChildProcess.run(List.of(java, "-Xmx512m", "-Djava.awt.headless=true", "-cp",
        System.getProperty("java.class.path"), MemoryProbe.class.getName(), String.valueOf(settings.memoryImages())),
        600);
    if (!child.succeeded()) {
      ObjectNode failed = json.createObjectNode();
      failed.put("error", "child JVM failed (exit " + child.exitCode() + "): " + child.err().lines()
          .filter(l -> l.contains("Exception") || l.contains("Error") || l.startsWith("killed")).findFirst()
          .orElse(child.err().trim()));
      return failed;
    }
    return json.readTree(child.lastJsonLine());
  }

  private JsonNode pytorch(ObjectMapper json, Path idx) throws IOException, InterruptedException {
    ObjectNode failed = json.createObjectNode();
    if (!Files.exists(settings.script())) {
      failed.put("error", "script not found: " + settings.script());
      return failed;
    }
    String batches = String.join(",", Arrays.stream(settings.batchSizes()).mapToObj(String::valueOf).toList());
    ChildProcess.Outcome child;
    try {
      child = ChildProcess.run(List.of(settings.python(), settings.script().toString(), "--images", idx.toString(),
          "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()), "--batch-sizes", batches,
          "--seconds", String.valueOf(settings.seconds()), "--train-batch", "128"), 900);
    } catch (IOException e) {
      failed.put("error", "could not run " + settings.python() + ": " + e.getMessage()
          + " (install Debian's python3-torch: apt-get install python3-torch)");
      return failed;
    }
    if (!child.succeeded()) {
      failed.put("error", child.err().isBlank() ? "exit " + child.exitCode() : child.err().trim());
      return failed;
    }
    return json.readTree(child.lastJsonLine());
  }

  /** The CPU, cores, OS and Java version, in one line. */
  static String machine() {
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
