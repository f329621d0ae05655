package org.drift4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ReconstructionError;

/** The parsed command line of {@link Audit}; each value checked as it is read. Immutable. */
final class AuditArguments {

  static final String USAGE = """
      usage: spark-submit --class org.drift4j.spark.Audit drift-spark-<version>-spark.jar \\
               --images PATH --model FILE --out DIR [options]
        --images PATH            the archive: a folder of image files (binaryFile source; key=value folders
                                 become columns, e.g. day=2025-01-07/camera=3/), or a table (--format)
        --model FILE             the ONNX autoencoder (its .verification.json beside it is used), on the driver
        --out DIR                where report.json, groups/ and errors/ are written (any Hadoop file system)
        --baseline FILE          the baseline (default: baseline.json beside the model), on the driver
        --group-by COLS          comma-separated columns whose values make the groups (default: one group)
        --order-by COL           time order within a group (default: path for image folders, else input order)
        --format NAME            binaryFile (default), parquet, orc, json, ...
        --image-column NAME      the column of encoded images (default: content)
        --pixel-column NAME      a column of pixel arrays in [0, 1], CHW, instead of encoded images
        --alpha A                the policy's false-alarm rate per group (default 0.01)
        --expected-run-time N    the monitor's clean images between false alarms (default 10000)
        --max-test-images N      errors of a group the policy tests at most (default 5000)
        --make-baseline          compute OUT/baseline.json from the images instead of auditing them
        --max-exact-errors N     baseline: exact up to N errors (default 1000000), else sampled
        --sample-size N          baseline: the sample's expected size (default 100000)
        --measure NAME           baseline: the error measure (default BINARY_CROSS_ENTROPY)
        --preprocessing ID       baseline: none (default), resize:bilinear, resize:nearest, resize:box""";

  private static final Set<String> FLAGS = Set.of("--make-baseline");
  private static final Set<String> OPTIONS = Set.of("--images", "--model", "--out", "--baseline", "--group-by",
      "--order-by", "--format", "--image-column", "--pixel-column", "--alpha", "--expected-run-time",
      "--max-test-images", "--max-exact-errors", "--sample-size", "--measure", "--preprocessing");

  final String images;
  final Path model;
  final String out;
  final Path baseline;
  final List<String> groupBy;
  final String orderBy;
  final String format;
  final ImageColumn column;
  final double alpha;
  final long expectedRunTime;
  final int maxTestImages;
  final boolean makeBaseline;
  final long maxExactErrors;
  final int sampleSize;
  final ReconstructionError measure;
  final ImagePreprocessing preprocessing;

  private AuditArguments(Map<String, String> v) {
    images = required(v, "--images");
    model = Path.of(required(v, "--model"));
    out = required(v, "--out");
    makeBaseline = v.containsKey("--make-baseline");
    baseline = v.containsKey("--baseline") ? Path.of(v.get("--baseline"))
        : model.toAbsolutePath().resolveSibling("baseline.json");
    groupBy = new ArrayList<>();
    for (String g : v.getOrDefault("--group-by", "").split(",", -1)) {
      if (!g.isBlank()) {
        groupBy.add(g.trim());
      }
    }
    format = v.getOrDefault("--format", "binaryFile");
    orderBy = v.getOrDefault("--order-by", format.equals("binaryFile") ? SparkBaselines.PATH_COLUMN : null);
    if (v.containsKey("--pixel-column") && v.containsKey("--image-column")) {
      throw new IllegalArgumentException("--image-column and --pixel-column exclude each other, but both were given");
    }
    column = v.containsKey("--pixel-column") ? ImageColumn.pixels(v.get("--pixel-column"))
        : ImageColumn.encoded(v.getOrDefault("--image-column", ImageColumn.BINARY_FILE_CONTENT));
    alpha = number(v, "--alpha", "0.01");
    expectedRunTime = whole(v, "--expected-run-time", "10000");
    maxTestImages = (int) whole(v, "--max-test-images", String.valueOf(SparkDriftAudit.DEFAULT_MAX_TEST_IMAGES));
    maxExactErrors = whole(v, "--max-exact-errors", String.valueOf(SparkBaselineConfig.DEFAULT_MAX_EXACT_ERRORS));
    sampleSize = (int) whole(v, "--sample-size", String.valueOf(SparkBaselineConfig.DEFAULT_SAMPLE_SIZE));
    String measureName = v.getOrDefault("--measure", ReconstructionError.BINARY_CROSS_ENTROPY.name());
    try {
      measure = ReconstructionError.valueOf(measureName.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--measure must be one of " + java.util.Arrays.toString(
          ReconstructionError.values()) + ", but was '" + measureName + "'", e);
    }
    preprocessing = ImagePreprocessing.parse(v.getOrDefault("--preprocessing", "none"));
  }

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException naming the unknown, repeated, missing or malformed option
   */
  static AuditArguments parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (OPTIONS.contains(name)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      } else {
        value = "";
      }
      if (!OPTIONS.contains(name) && !FLAGS.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
      if (values.put(name, value) != null) {
        throw new IllegalArgumentException(name + " must be given once, but was given twice");
      }
    }
    return new AuditArguments(values);
  }

  private static String required(Map<String, String> v, String name) {
    String value = v.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required\n" + USAGE);
    }
    return value;
  }

  private static double number(Map<String, String> v, String name, String fallback) {
    String text = v.getOrDefault(name, fallback);
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, but was '" + text + "'", e);
    }
  }

  private static long whole(Map<String, String> v, String name, String fallback) {
    String text = v.getOrDefault(name, fallback).replace("_", "");
    try {
      long value = Long.parseLong(text);
      if (value < 1 || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be between 1 and 2^31 - 1, but was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, but was '" + text + "'", e);
    }
  }
}
