package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.drift4j.ImageShape;
import org.drift4j.dl4j.Dl4jBackend;
import org.drift4j.dl4j.Dl4jConfig;

/**
 * {@code drift4j bench --sizes}: at each image size, DL4J training, scoring at batch 32 on DL4J
 * and ONNX Runtime, peak heap and RSS of one {@code check()} under {@code -Xmx512m}, and the
 * PyTorch reference on the same shape, in one run. Each size trains in one child JVM and scores
 * in another ({@link SizeProbe}), so each peak memory is that size's own. Not thread-safe.
 */
public final class SizeBenchmark {

  /** The heap of the scoring child JVM. */
  public static final String SCORING_HEAP = "-Xmx512m";

  /**
   * Settings.
   *
   * @param shapes the sizes, in order
   * @param trainingImages synthetic images per training epoch (one warm-up epoch, one timed)
   * @param trainingBatch the training minibatch, on both DL4J and PyTorch
   * @param trainingRepeats how many fresh processes train on each engine, alternating DL4J and
   *     PyTorch (one process's rate swings up to 4× from the next on this machine, so the medians
   *     are compared)
   * @param memoryImages images scored in the one {@code check()} whose memory is measured
   * @param seconds how long each rate measurement runs
   * @param python the Python interpreter that runs the PyTorch reference
   * @param script the PyTorch reference script
   * @param pythonRequired whether a PyTorch reference that cannot run fails the run (when the
   *     user named the interpreter or script) rather than being skipped with the reason
   * @param out where bench.json goes
   */
  public record Settings(List<ImageShape> shapes, int trainingImages, int trainingBatch, int trainingRepeats,
      int memoryImages, double seconds, String python, Path script, boolean pythonRequired, Path out) {

    /** @throws IllegalArgumentException naming the option, the constraint and the value */
    public Settings {
      shapes = List.copyOf(shapes);
      if (shapes.isEmpty()) {
        throw new IllegalArgumentException("--sizes must name at least one CxHxW size, but was empty");
      }
      atLeast("--size-training-images", trainingImages, 32);
      atLeast("--size-train-batch", trainingBatch, 1);
      atLeast("--training-repeats", trainingRepeats, 1);
      atLeast("--memory-images", memoryImages, 32);
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new IllegalArgumentException("--seconds must be a positive number, but was " + seconds);
      }
    }

    private static void atLeast(String option, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(option + " must be at least " + min + " with --sizes, but was " + value);
      }
    }
  }

  private final Settings settings;
  private final PrintStream log;

  /**
   * A benchmark.
   *
   * @param settings what to measure
   * @param log where progress goes
   */
  public SizeBenchmark(Settings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  /**
   * The sizes of {@code --sizes}: each {@code CxHxW}, positive, sides divisible by 4 (the
   * autoencoder pools twice).
   *
   * @param text comma-separated sizes, such as {@code 3x32x32,1x128x128}
   * @return the shapes in order
   * @throws IllegalArgumentException naming --sizes, the constraint and the value
   */
  public static List<ImageShape> parseSizes(String text) {
    List<ImageShape> shapes = new ArrayList<>();
    for (String size : text.split(",", -1)) {
      String s = size.strip();
      String[] p = s.split("x", -1);
      int[] v = new int[3];
      boolean ok = p.length == 3;
      for (int i = 0; ok && i < 3; i++) {
        try {
          v[i] = Integer.parseInt(p[i]);
          ok = v[i] > 0;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException("--sizes: each size must be CxHxW with positive integers (such as 3x32x32),"
            + " but was '" + s + "' in '" + text + "'");
      }
      if (v[1] % 4 != 0 || v[2] % 4 != 0) {
        throw new IllegalArgumentException("--sizes: height and width must be divisible by 4 (the autoencoder pools"
            + " twice), but " + s + " has " + v[1] + "x" + v[2]);
      }
      shapes.add(new ImageShape(v[0], v[1], v[2]));
    }
    return shapes;
  }

  /** The CxHxW text of {@code shape}. */
  static String text(ImageShape shape) {
    return shape.channels() + "x" + shape.height() + "x" + shape.width();
  }

  /**
   * Runs every size and returns the JSON written to {@code out/bench.json}.
   *
   * @return the result
   * @throws IOException if the result cannot be written
   * @throws InterruptedException if interrupted while a child process runs
   * @throws IllegalStateException if the PyTorch reference was required and cannot run
   */
  public ObjectNode run() throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode result = json.createObjectNode();
    String torchProblem = pytorchProblem();
    if (torchProblem != null && settings.pythonRequired()) {
      throw new IllegalStateException("--python " + settings.python() + " with --script " + settings.script()
          + " cannot run the PyTorch reference: " + torchProblem);
    }
    result.put("date", Instant.now().toString());
    result.put("machine", SpeedBenchmark.machine());
    result.put("backend", Dl4jBackend.describe());
    ObjectNode s = result.putObject("settings");
    s.put("trainingImages", settings.trainingImages()).put("trainingBatch", settings.trainingBatch())
        .put("trainingRepeats", settings.trainingRepeats())
        .put("memoryImages", settings.memoryImages()).put("seconds", settings.seconds())
        .put("scoringHeap", SCORING_HEAP).put("maxChunkBytes", Dl4jConfig.DEFAULT_MAX_CHUNK_BYTES);
    if (torchProblem != null) {
      log.println("PyTorch reference skipped: " + torchProblem);
      result.put("pytorchSkipped", torchProblem);
    }
    Files.createDirectories(settings.out());
    ArrayNode sizes = result.putArray("sizes");
    for (ImageShape shape : settings.shapes()) {
      sizes.add(measure(json, shape, torchProblem == null));
    }
    json.writeValue(settings.out().resolve("bench.json").toFile(), result);
    return result;
  }

  private ObjectNode measure(ObjectMapper json, ImageShape shape, boolean torch) throws IOException,
      InterruptedException {
    String size = text(shape);
    ObjectNode node = json.createObjectNode().put("shape", size);
    Path model = Files.createTempDirectory("drift4j-bench-").resolve("model-" + size + ".zip");
    try {
      log.println(size + ": DL4J training, " + settings.trainingImages() + " images × 2 epochs (the 2nd timed), batch "
          + settings.trainingBatch() + "...");
      node.set("train", child(json, List.of("-Xmx2g"), "train", size, model.toString(),
          String.valueOf(settings.trainingImages()), String.valueOf(settings.trainingBatch())));
      if (Files.exists(model)) {
        log.println(size + ": scoring at batch 32 on ONNX Runtime and DL4J, then one check() of "
            + settings.memoryImages() + " images with " + SCORING_HEAP + "...");
        node.set("score", child(json, List.of(SCORING_HEAP, "-XX:MaxDirectMemorySize=2g", "--add-modules",
            "jdk.incubator.vector"), "score", size, model.toString(), String.valueOf(settings.memoryImages()),
            String.valueOf(Dl4jConfig.DEFAULT_MAX_CHUNK_BYTES), String.valueOf(settings.seconds())));
      } else {
        node.putObject("score").put("error", "not run: training failed");
      }
    } finally {
      Files.deleteIfExists(model);
      Files.deleteIfExists(model.getParent());
    }
    if (torch) {
      log.println(size + ": PyTorch reference...");
      node.set("pytorch", pytorch(json, size, false));
    } else {
      node.putObject("pytorch").put("error", "skipped: see pytorchSkipped");
    }
    node.set("training", repeats(json, node, size, torch));
    return node;
  }

  /**
   * The training rates of {@code trainingRepeats} fresh processes per engine, the first of each
   * being the ones already in {@code node}, the others alternating DL4J and PyTorch.
   */
  private ObjectNode repeats(ObjectMapper json, ObjectNode node, String size, boolean torch) throws IOException,
      InterruptedException {
    List<Double> dl4j = new ArrayList<>();
    List<Double> pytorch = new ArrayList<>();
    addRate(dl4j, node.path("train"), "imagesPerSecond");
    addRate(pytorch, node.path("pytorch"), "trainingImagesPerSecond");
    for (int r = 2; r <= settings.trainingRepeats(); r++) {
      log.println(size + ": training again in fresh processes (" + r + " of " + settings.trainingRepeats() + ")...");
      Path model = Files.createTempDirectory("drift4j-bench-").resolve("model-" + size + ".zip");
      try {
        addRate(dl4j, child(json, List.of("-Xmx2g"), "train", size, model.toString(),
            String.valueOf(settings.trainingImages()), String.valueOf(settings.trainingBatch())), "imagesPerSecond");
      } finally {
        Files.deleteIfExists(model);
        Files.deleteIfExists(model.getParent());
      }
      if (torch) {
        addRate(pytorch, pytorch(json, size, true), "trainingImagesPerSecond");
      }
    }
    ObjectNode t = json.createObjectNode();
    dl4j.forEach(t.putArray("dl4j")::add);
    pytorch.forEach(t.putArray("pytorch")::add);
    if (!dl4j.isEmpty()) {
      t.put("dl4jMedian", median(dl4j));
    }
    if (!pytorch.isEmpty()) {
      t.put("pytorchMedian", median(pytorch));
    }
    if (!dl4j.isEmpty() && !pytorch.isEmpty()) {
      t.put("ratioOfMedians", median(dl4j) / median(pytorch));
    }
    return t;
  }

  private static void addRate(List<Double> rates, JsonNode result, String field) {
    if (result.has(field)) {
      rates.add(result.path(field).asDouble());
    }
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private JsonNode child(ObjectMapper json, List<String> jvmOptions, String... args) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // JavaCPP's off-heap limits raised, so that the resident memory, not a limit, is what is measured
    command.addAll(List.of("-Dorg.bytedeco.javacpp.maxbytes=8g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12g",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), SizeProbe.class.getName()));
    command.addAll(List.of(args));
    ChildProcess.Outcome outcome = ChildProcess.run(command, 900);
    if (!outcome.succeeded()) {
      return json.createObjectNode().put("error", "child JVM failed (exit " + outcome.exitCode() + "): "
          + outcome.err().lines().filter(l -> l.contains("Exception") || l.contains("Error") || l.startsWith("killed"))
          .findFirst().orElse(outcome.err().strip()));
    }
    return json.readTree(outcome.lastJsonLine());
  }

  /** Why the PyTorch reference cannot run ({@code --help} imports PyTorch first), or null if it can. */
  String pytorchProblem() throws InterruptedException {
    if (!Files.isRegularFile(settings.script())) {
      return "script not found: " + settings.script();
    }
    try {
      ChildProcess.Outcome help = ChildProcess.run(List.of(settings.python(), settings.script().toString(), "--help"),
          120);
      return help.succeeded() ? null : help.err().isBlank() ? "exit " + help.exitCode() : help.err().strip();
    } catch (IOException e) {
      return "could not run " + settings.python() + ": " + e.getMessage()
          + " (install Debian's python3-torch: apt-get install python3-torch)";
    }
  }

  private JsonNode pytorch(ObjectMapper json, String size, boolean trainOnly) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>(List.of(settings.python(), settings.script().toString(),
        "--shape", size, "--synthetic", String.valueOf(settings.trainingImages()),
        "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()), "--batch-sizes", "32",
        "--seconds", String.format(Locale.ROOT, "%s", settings.seconds()),
        "--train-batch", String.valueOf(settings.trainingBatch())));
    if (trainOnly) {
      command.add("--train-only");
    }
    ChildProcess.Outcome child = ChildProcess.run(command, 900);
    if (!child.succeeded()) {
      if (settings.pythonRequired()) {
        throw new IllegalStateException("the PyTorch reference failed at " + size + ": "
            + (child.err().isBlank() ? "exit " + child.exitCode() : child.err().strip()));
      }
      return json.createObjectNode().put("error", child.err().isBlank() ? "exit " + child.exitCode()
          : child.err().strip());
    }
    return json.readTree(child.lastJsonLine());
  }
}
