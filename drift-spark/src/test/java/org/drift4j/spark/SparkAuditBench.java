package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.DriftPolicy;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;

/**
 * The throughput of a drift audit on Spark in local mode against the single-JVM path, in one
 * run on one machine (docs/spark.md, "Throughput"). Builds an archive of Fashion-MNIST PNGs
 * (replicated across days) with MNIST digits injected into the second half of known days, as a
 * Parquet table partitioned by day; then, timed, (1) the single JVM: decode and score every image
 * with ONNX Runtime on all cores, then each day's rank test and monitor; (2) per Spark master:
 * scoring alone (to Spark's {@code noop} sink), and the {@link Audit} entry point (score, write
 * the errors as Parquet, judge each day, write the report). Writes {@code bench.json}.
 *
 * <p>{@code scripts/spark-bench.sh [--per-day N] [--days N] [--masters local[1],local[2]] [--out DIR]}
 *
 * <p>Not thread-safe: a program.
 */
public final class SparkAuditBench {

  private static final ReconstructionError MEASURE = ReconstructionError.BINARY_CROSS_ENTROPY;
  private static final int CHUNK = 256;
  private static final double ALPHA = 0.01;
  private static final List<Integer> DRIFTED = List.of(7, 14);
  private static final double SHARE = 0.5;

  private SparkAuditBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --out DIR}, {@code --days N}, {@code --per-day N}, {@code --masters LIST},
   *     {@code --expected-run-time N}, {@code --fashion DIR}, {@code --mnist FILE}
   * @throws IOException if the data cannot be read or the results written
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    Path out = Path.of(opt.getOrDefault("--out", "runs/spark-bench")).toAbsolutePath();
    int days = Integer.parseInt(opt.getOrDefault("--days", "20"));
    int perDay = Integer.parseInt(opt.getOrDefault("--per-day", "10000"));
    long expectedRunTime = Long.parseLong(opt.getOrDefault("--expected-run-time", "10000"));
    List<String> masters = List.of(opt.getOrDefault("--masters", "local[2]").split(","));
    Path fashion = Path.of(opt.getOrDefault("--fashion", "/usr/share/datasets/fashion-mnist"));
    Path mnist = Path.of(opt.getOrDefault("--mnist", System.getProperty("user.home")
        + "/.cache/drift4j/mnist/mnist-images-idx3-ubyte.gz"));
    Files.createDirectories(out);

    List<byte[]> train = BenchArchive.readIdx(fashion.resolve("train-images-idx3-ubyte.gz"));
    List<byte[]> clean = new ArrayList<>(train.subList(0, 50_000));
    clean.addAll(BenchArchive.readIdx(fashion.resolve("t10k-images-idx3-ubyte.gz")));
    List<byte[]> validation = train.subList(50_000, 60_000);
    List<byte[]> foreign = BenchArchive.readIdx(mnist);
    long start = System.nanoTime();
    List<BenchArchive.Image> archive = BenchArchive.days(clean, foreign, days, perDay, DRIFTED, SHARE, 20_261_202L);
    double archiveSeconds = seconds(start);

    Path modelDir = out.resolve("model");
    Files.createDirectories(modelDir);
    Path modelFile = modelDir.resolve("model.onnx");
    byte[] model = BenchArchive.referenceModel(7);
    Files.write(modelFile, model);
    Path baselineFile = modelDir.resolve("baseline.json");
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("measuredAt", Instant.now().toString());
    root.put("cores", Runtime.getRuntime().availableProcessors());
    root.put("java", System.getProperty("java.version"));
    root.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
    ObjectNode a = root.putObject("archive");
    a.put("images", archive.size());
    a.put("days", days);
    a.put("imagesPerDay", perDay);
    a.put("clean", "Fashion-MNIST train[0, 50000) and t10k, " + clean.size() + " images, drawn without replacement"
        + " within a day (so each image appears in about " + String.format("%.1f", (double) archive.size()
        / clean.size()) + " days)");
    a.put("injected", "on days " + DRIFTED + ", from image " + perDay / 2 + " on, each image is an MNIST digit with"
        + " probability " + SHARE);
    a.put("format", "Parquet, partitioned by day: day, seq, source, content (PNG bytes)");
    a.put("buildSeconds", archiveSeconds);
    ObjectNode m = root.putObject("model");
    m.put("architecture", "reference (Conv 32, MaxPool, Conv 32, MaxPool, Conv 32, Up, Conv 32, Up, Conv 1), seeded"
        + " He-normal weights, untrained");
    m.put("bytes", model.length);
    m.put("baseline", "Fashion-MNIST train[50000, 60000), " + validation.size() + " images, " + MEASURE);

    try (OnnxAutoencoder engine = OnnxAutoencoder.fromBytes(model, OnnxConfig.custom()
        .threads(Runtime.getRuntime().availableProcessors()).build())) {
      Baseline baseline = Baseline.compute(engine, ImageBatch.ofImages(BenchArchive.SHAPE, images(validation)), MEASURE);
      BaselineStore.write(baseline, baselineFile);
      double[] singleErrors = new double[archive.size()];
      root.set("singleJvm", singleJvm(engine, baseline, archive, singleErrors, days, perDay, expectedRunTime, out,
          json));

      ArrayNode runs = root.putArray("spark");
      for (String master : masters) {
        runs.add(spark(master, master.equals(masters.get(0)), archive, out, modelFile, baselineFile, expectedRunTime,
            singleErrors, json));
      }
    }
    Path file = out.resolve("bench.json");
    json.writeValue(file.toFile(), root);
    System.out.println(json.writeValueAsString(root));
    System.out.println("wrote " + file);
  }

  /** Decode and score in this JVM, in chunks, into {@code errors}; then each day's policy and monitor. */
  private static ObjectNode singleJvm(OnnxAutoencoder engine, Baseline baseline, List<BenchArchive.Image> archive,
      double[] errors, int days, int perDay, long expectedRunTime, Path out, ObjectMapper json) throws IOException {
    long start = System.nanoTime();
    List<BufferedImage> chunk = new ArrayList<>(CHUNK);
    int from = 0;
    for (int i = 0; i < archive.size(); i++) {
      chunk.add(ImageIO.read(new ByteArrayInputStream(archive.get(i).png())));
      if (chunk.size() == CHUNK || i == archive.size() - 1) {
        double[] e = engine.errors(ImageBatch.ofImages(BenchArchive.SHAPE, chunk), MEASURE);
        System.arraycopy(e, 0, errors, from, e.length);
        from += e.length;
        chunk.clear();
      }
    }
    double scoring = seconds(start);

    long judge = System.nanoTime();
    DriftMonitorConfig monitorConfig = DriftMonitorConfig.custom().expectedRunTime(expectedRunTime).build();
    Path calibration = out.resolve("single-jvm-monitor-calibration.json");
    Files.deleteIfExists(calibration);
    DriftPolicy policy = DriftPolicy.rankTest(ALPHA);
    ArrayNode flagged = json.createArrayNode();
    ArrayNode alarmed = json.createArrayNode();
    for (int d = 0; d < days; d++) {
      double[] day = Arrays.copyOfRange(errors, d * perDay, (d + 1) * perDay);
      if (policy.decide(sample(day, SparkDriftAudit.DEFAULT_MAX_TEST_IMAGES, d), baseline).drift()) {
        flagged.add(d + 1);
      }
      DriftMonitor monitor = DriftMonitor.builder(baseline).config(monitorConfig).calibrationCache(calibration).build();
      if (!monitor.observeErrors(day).alarms().isEmpty()) {
        alarmed.add(d + 1);
      }
    }
    double judging = seconds(judge);
    ObjectNode node = json.createObjectNode();
    node.put("what", "ImageIO decode + OnnxAutoencoder.errors in chunks of " + CHUNK + " on "
        + engine.toString() + "; then per day rankTest(" + ALPHA + ") on up to "
        + SparkDriftAudit.DEFAULT_MAX_TEST_IMAGES + " errors and a fresh DriftMonitor (calibrated once)");
    node.put("scoringSeconds", scoring);
    node.put("scoringImagesPerSecond", archive.size() / scoring);
    node.put("judgingSeconds", judging);
    node.put("auditSeconds", scoring + judging);
    node.put("auditImagesPerSecond", archive.size() / (scoring + judging));
    node.set("daysFlaggedByPolicy", flagged);
    node.set("daysWithMonitorAlarms", alarmed);
    return node;
  }

  private static ObjectNode spark(String master, boolean writeArchive, List<BenchArchive.Image> archive, Path out, Path modelFile,
      Path baselineFile, long expectedRunTime, double[] singleErrors, ObjectMapper json) throws IOException {
    long start = System.nanoTime();
    SparkSession spark = SparkSession.builder().master(master).appName("drift4j-spark-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.files.maxPartitionBytes", "4m")
        .getOrCreate();
    double startup = seconds(start);
    try {
      Path table = out.resolve("archive");
      if (writeArchive) {
        write(spark, archive, table);
      }
      Baseline baseline = BaselineStore.read(baselineFile);
      SparkScorer scorer = SparkScorer.builder(SparkModel.load(modelFile), baseline.errorMeasure()).build();
      Dataset<Row> images = spark.read().parquet(table.toString());
      long score = System.nanoTime();
      scorer.score(images, ImageColumn.encoded("content")).write().format("noop").mode(SaveMode.Overwrite).save();
      double scoring = seconds(score);

      Path auditDir = out.resolve("audit-" + master.replaceAll("[^a-z0-9]", ""));
      long audit = System.nanoTime();
      int status = Audit.run(spark, System.out, System.err, "--images", table.toString(), "--format", "parquet",
          "--model", modelFile.toString(), "--baseline", baselineFile.toString(), "--group-by", "day",
          "--order-by", "seq", "--alpha", String.valueOf(ALPHA), "--expected-run-time", String.valueOf(expectedRunTime),
          "--out", auditDir.toString());
      double auditing = seconds(audit);
      if (status != 0) {
        throw new IllegalStateException("the audit on " + master + " failed with status " + status);
      }

      List<Row> scored = spark.read().parquet(auditDir.resolve("errors").toString()).select(col("seq"),
          col(SparkScorer.ERROR_COLUMN)).collectAsList();
      double maxDifference = 0;
      for (Row r : scored) {
        maxDifference = Math.max(maxDifference, Math.abs(r.getDouble(1) - singleErrors[(int) r.getLong(0)]));
      }
      JsonNode report = json.readTree(Files.readString(auditDir.resolve("report.json"), StandardCharsets.UTF_8));
      ArrayNode flagged = json.createArrayNode();
      ArrayNode alarmed = json.createArrayNode();
      for (JsonNode g : report.get("groups")) {
        if (g.get("drift").asBoolean()) {
          flagged.add(g.get("key").get("day").asInt());
        }
        if (!g.get("alarms").isEmpty()) {
          alarmed.add(g.get("key").get("day").asInt());
        }
      }
      ObjectNode node = json.createObjectNode();
      node.put("master", master);
      node.put("partitions", images.rdd().getNumPartitions());
      node.put("sessionStartSeconds", startup);
      node.put("scoringSeconds", scoring);
      node.put("scoringImagesPerSecond", archive.size() / scoring);
      node.put("auditSeconds", auditing);
      node.put("auditImagesPerSecond", archive.size() / auditing);
      node.put("auditWhat", "Audit entry point: read Parquet, score, write errors/ (Parquet), rankTest(" + ALPHA
          + ") and monitor per day, write groups/ and report.json");
      node.put("scoredRows", scored.size());
      node.put("maxAbsErrorDifferenceFromSingleJvm", maxDifference);
      node.set("daysFlaggedByPolicy", flagged);
      node.set("daysWithMonitorAlarms", alarmed);
      return node;
    } finally {
      spark.stop();
    }
  }

  private static void write(SparkSession spark, List<BenchArchive.Image> archive, Path table) {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("day", DataTypes.IntegerType, false),
        DataTypes.createStructField("seq", DataTypes.LongType, false),
        DataTypes.createStructField("source", DataTypes.StringType, false),
        DataTypes.createStructField("content", DataTypes.BinaryType, false)));
    List<Row> rows = new ArrayList<>(archive.size());
    for (BenchArchive.Image i : archive) {
      rows.add(RowFactory.create(i.day(), i.seq(), i.source(), i.png()));
    }
    spark.createDataFrame(rows, schema).write().mode(SaveMode.Overwrite).partitionBy("day").parquet(table.toString());
  }

  private static List<BufferedImage> images(List<byte[]> pixels) {
    List<BufferedImage> images = new ArrayList<>(pixels.size());
    for (byte[] p : pixels) {
      try {
        images.add(ImageIO.read(new ByteArrayInputStream(BenchArchive.png(p))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return images;
  }

  private static double[] sample(double[] errors, int max, long seed) {
    if (errors.length <= max) {
      return errors;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] pool = errors.clone();
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(pool.length - i);
      double t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return Arrays.copyOf(pool, max);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
