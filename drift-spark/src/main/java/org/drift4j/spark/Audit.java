package org.drift4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftMonitorConfig;

/**
 * The {@code spark-submit} entry point: audits an image archive for drift, or makes a baseline
 * from one.
 *
 * <pre>
 * spark-submit --class org.drift4j.spark.Audit drift-spark-0.1.0-SNAPSHOT-spark.jar \
 *   --images s3a://lake/cameras/ --model model.onnx --group-by day,camera --out s3a://lake/audits/2025-01/
 * </pre>
 *
 * Writes {@code report.json} (an {@link AuditReport}), {@code groups/} (one JSON line per group)
 * and {@code errors/} (Parquet: every image's columns but its bytes, with its error and problem)
 * under {@code --out}; with {@code --make-baseline}, {@code baseline.json} instead. Run it without
 * arguments for the options. Prints one summary line; exits 2 with one line on standard error on
 * any failure.
 *
 * <p>Thread safety: not applicable (a program: each run builds its own objects).
 */
public final class Audit {

  private Audit() {}

  /**
   * Runs the audit in the active Spark session (or a new one, configured by {@code spark-submit}).
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    int status;
    try {
      status = run(SparkSession.builder().appName("drift4j-audit").getOrCreate(), System.out, System.err, args);
    } catch (RuntimeException e) {
      System.err.println("drift4j audit: " + ChunkScoring.message(e).replace('\n', ' '));
      status = 2;
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the audit in {@code spark}.
   *
   * @param spark the session
   * @param out where the summary line goes
   * @param err where a failure's line goes
   * @param args the command line
   * @return 0, or 2 on a failure
   */
  static int run(SparkSession spark, PrintStream out, PrintStream err, String... args) {
    if (args.length == 0) {
      out.println(AuditArguments.USAGE);
      return 0;
    }
    try {
      AuditArguments a = AuditArguments.parse(args);
      SparkModel model = SparkModel.load(a.model);
      Dataset<Row> images = read(spark, a);
      if (a.makeBaseline) {
        return makeBaseline(spark, a, model, images, out);
      }
      return audit(spark, a, model, images, out);
    } catch (IOException | RuntimeException e) {
      err.println("drift4j audit: " + ChunkScoring.message(e).replace('\n', ' '));
      return 2;
    }
  }

  private static Dataset<Row> read(SparkSession spark, AuditArguments a) {
    if (a.format.equals("binaryFile")) {
      return spark.read().format("binaryFile").load(a.images);
    }
    return spark.read().format(a.format).load(a.images);
  }

  private static int makeBaseline(SparkSession spark, AuditArguments a, SparkModel model, Dataset<Row> images,
      PrintStream out) throws IOException {
    SparkScorer scorer = SparkScorer.builder(model, a.measure).preprocessing(a.preprocessing).build();
    SparkBaseline made = SparkBaselines.compute(scorer, images, a.column, SparkBaselineConfig.custom()
        .maxExactErrors(a.maxExactErrors).sampleSize(Math.min(a.sampleSize, (int) a.maxExactErrors)).build());
    String file = a.out.replaceAll("/+$", "") + "/baseline.json";
    write(spark, file, BaselineStore.toJson(made.baseline()));
    out.println("drift4j audit: baseline of " + made.baseline().count() + " errors (" + (made.exact() ? "exact"
        : "sampled from " + made.population() + ", rank error < " + String.format("%.4f", made.rankErrorBound())
        + " at 99%") + "), " + made.malformed() + " malformed; written to " + file);
    return 0;
  }

  private static int audit(SparkSession spark, AuditArguments a, SparkModel model, Dataset<Row> images,
      PrintStream out) throws IOException {
    Baseline baseline = BaselineStore.fromJson(Files.readString(a.baseline, StandardCharsets.UTF_8));
    SparkScorer scorer = SparkScorer.builder(model, baseline.errorMeasure()).preprocessing(baseline.preprocessing())
        .build();
    String dir = a.out.replaceAll("/+$", "");
    Dataset<Row> scored = scorer.score(images, a.column);
    scored.write().mode(SaveMode.Overwrite).parquet(dir + "/errors");
    Dataset<Row> errors = spark.read().parquet(dir + "/errors");
    SparkDriftAudit.Builder builder = SparkDriftAudit.builder(baseline).rankTest(a.alpha).maxTestImages(a.maxTestImages)
        .monitor(DriftMonitorConfig.custom().expectedRunTime(a.expectedRunTime).build());
    if (!a.groupBy.isEmpty()) {
      builder.groupBy(a.groupBy.toArray(new String[0]));
    }
    if (a.orderBy != null) {
      builder.orderBy(a.orderBy);
    }
    AuditResult result = builder.build().run(errors);
    Dataset<Row> groups = result.groups().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      groups.write().mode(SaveMode.Overwrite).json(dir + "/groups");
      AuditReport report = new AuditResult(groups, result.keys(), a.orderBy, result.audit()).report();
      write(spark, dir + "/report.json", report.toJson());
      out.println("drift4j audit: " + report.images() + " images, " + report.malformed() + " malformed, "
          + report.groups().size() + " groups, " + report.flagged().size() + " flagged"
          + (report.flagged().isEmpty() ? "" : ": " + report.flagged().stream().map(g -> g.key().values().toString())
              .collect(Collectors.joining(" "))) + "; report " + dir + "/report.json");
    } finally {
      groups.unpersist();
    }
    return 0;
  }

  /** Writes {@code text} to {@code file} on its Hadoop file system: to a temporary name, then renamed. */
  static void write(SparkSession spark, String file, String text) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(file);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream stream = fs.create(temp, true)) {
      stream.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (fs.exists(target) && !fs.delete(target, false)) {
      throw new IOException("could not replace " + target);
    }
    if (!fs.rename(temp, target)) {
      throw new IOException("could not rename " + temp + " to " + target);
    }
  }
}
