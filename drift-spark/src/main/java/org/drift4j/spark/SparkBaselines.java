package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.drift4j.Baseline;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * Baselines from archives too large for one machine: the errors are computed and kept where the
 * images are, and only what the baseline holds reaches the driver.
 *
 * <pre>{@code
 * SparkBaseline made = SparkBaselines.compute(scorer, validationImages, ImageColumn.encoded("content"),
 *     SparkBaselineConfig.ofDefaults());
 * BaselineStore.write(made.baseline(), Path.of("baseline.json"));
 * }</pre>
 *
 * <p>Up to {@link SparkBaselineConfig#maxExactErrors()} errors the baseline is exact: every error
 * is collected, and the baseline equals what {@link Baseline#compute} gives in one JVM on the same
 * images. Beyond it, the baseline is made from a seeded Bernoulli sample of the rows, each kept
 * with probability {@code sampleSize / rows}: a uniform sample (given its size, every subset of
 * that size is equally likely) of about {@link SparkBaselineConfig#sampleSize()} errors, give or
 * take its square root; {@link SparkBaseline#rankErrorBound()} states how far its quantiles may
 * lie from the archive's. Per-pixel statistics are computed over exactly the images whose errors
 * the baseline holds, with mergeable moments (Welford per partition, merged pairwise on the
 * driver).
 *
 * <p>Stateless and thread-safe.
 */
public final class SparkBaselines {

  /** Malformed images' problems listed in a {@link SparkBaseline}, at most. */
  public static final int LISTED_PROBLEMS = 100;

  /** The column that names each row in problem lists, when the input has it (Spark's {@code binaryFile} source does). */
  public static final String PATH_COLUMN = "path";

  private SparkBaselines() {}

  /**
   * Scores the validation images on the executors (only the sampled ones, when there are more than
   * {@link SparkBaselineConfig#maxExactErrors()}) and makes the baseline, with per-pixel
   * statistics when the config asks for them. Malformed images are counted, not scored.
   *
   * @param scorer the model, measure and preprocessing of the baseline
   * @param images the validation images
   * @param column where the images are
   * @param config exact limit, sample size, seed, pixel statistics, clock
   * @return the baseline and how it was made
   * @throws IllegalArgumentException if the column is missing or of the wrong type, or fewer than
   *     2 images could be scored
   */
  public static SparkBaseline compute(SparkScorer scorer, Dataset<Row> images, ImageColumn column,
      SparkBaselineConfig config) {
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(config, "config");
    Dataset<Row> input = scorer.prepare(images, column);
    long rows = input.count();
    boolean exact = rows <= config.maxExactErrors();
    Dataset<Row> chosen = exact ? input : input.sample(false, (double) config.sampleSize() / rows, config.seed());
    StructType schema = chosen.schema();
    int pathIndex = List.of(schema.fieldNames()).indexOf(PATH_COLUMN);
    BaselinePartition function = new BaselinePartition(scorer.broadcast(chosen), column,
        schema.fieldIndex(column.name()), pathIndex, scorer, config.pixelStatistics());
    List<Row> parts = chosen.mapPartitions(function, Encoders.row(BaselinePartition.SCHEMA)).collectAsList();
    long malformed = 0;
    List<String> problems = new ArrayList<>();
    PixelMoments moments = new PixelMoments(scorer.shape());
    List<double[]> errorParts = new ArrayList<>();
    for (Row part : parts) {
      errorParts.add(doubles(part.getList(0)));
      malformed += part.getLong(1);
      for (Object p : part.getList(2)) {
        if (problems.size() < LISTED_PROBLEMS) {
          problems.add((String) p);
        }
      }
      if (config.pixelStatistics()) {
        moments.merge(PixelMoments.fromRow(scorer.shape(), part, 3));
      }
    }
    double[] errors = concat(errorParts);
    requireEnough(errors.length, malformed);
    Baseline baseline = Baseline.of(errors, scorer.measure(), scorer.shape(), scorer.model().fingerprint(),
        config.clock().instant()).withPreprocessing(scorer.preprocessing());
    if (config.pixelStatistics()) {
      baseline = baseline.withPixelStatistics(moments.statistics());
    }
    return new SparkBaseline(baseline, rows, malformed, exact, problems);
  }

  /**
   * A baseline from the errors {@link SparkScorer#score} computed: rows whose error is null
   * (malformed images) are counted and left out.
   *
   * @param scorer the scorer that computed them, whose model, measure and preprocessing the
   *     baseline records
   * @param scored its output
   * @param config exact limit, sample size, seed, clock (pixel statistics need the images:
   *     {@link #compute})
   * @return the baseline and how it was made
   * @throws IllegalArgumentException if the dataset has no {@value SparkScorer#ERROR_COLUMN} column
   *     of numbers, fewer than 2 errors, or a negative, NaN or infinite one
   */
  public static SparkBaseline fromScores(SparkScorer scorer, Dataset<Row> scored, SparkBaselineConfig config) {
    Objects.requireNonNull(scorer, "scorer");
    SparkBaseline made = fromErrors(scored, SparkScorer.ERROR_COLUMN, scorer.measure(), scorer.shape(),
        scorer.model().fingerprint(), config);
    return new SparkBaseline(made.baseline().withPreprocessing(scorer.preprocessing()), made.population(),
        made.malformed(), made.exact(), made.problems());
  }

  /**
   * A baseline from a column of errors computed elsewhere; null errors are counted and left out.
   *
   * @param errors the table
   * @param column the column of errors, of any numeric type
   * @param measure the measure they were computed with
   * @param shape the images' shape
   * @param fingerprint the fingerprint of the model that computed them
   * @param config exact limit, sample size, seed, clock
   * @return the baseline and how it was made
   * @throws IllegalArgumentException if the column is missing or not numeric, there are fewer than
   *     2 errors, or one is negative, NaN or infinite
   */
  public static SparkBaseline fromErrors(Dataset<Row> errors, String column, ReconstructionError measure,
      ImageShape shape, String fingerprint, SparkBaselineConfig config) {
    Objects.requireNonNull(errors, "errors");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(config, "config");
    if (!List.of(errors.schema().fieldNames()).contains(column)
        || !(errors.schema().apply(column).dataType() instanceof NumericType)) {
      throw new IllegalArgumentException("error column " + column + " must be a numeric column of the dataset, whose"
          + " schema is " + errors.schema().simpleString());
    }
    Dataset<Row> values = errors.select(col(column).cast(DataTypes.DoubleType).as("e"));
    Row counts = values.agg(count(col("e")), count(lit(1))).first();
    long present = counts.getLong(0);
    long missing = counts.getLong(1) - present;
    Dataset<Row> kept = values.where(col("e").isNotNull());
    boolean exact = present <= config.maxExactErrors();
    if (!exact) {
      kept = kept.sample(false, (double) config.sampleSize() / present, config.seed());
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("errors", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));
    MapPartitionsFunction<Row, Row> collect = SparkBaselines::partitionErrors;
    List<double[]> parts = new ArrayList<>();
    for (Row part : kept.mapPartitions(collect, Encoders.row(schema)).collectAsList()) {
      parts.add(doubles(part.getList(0)));
    }
    double[] all = concat(parts);
    requireEnough(all.length, missing);
    Baseline baseline = Baseline.of(all, measure, shape, fingerprint, config.clock().instant());
    return new SparkBaseline(baseline, present, missing, exact, List.of());
  }

  private static java.util.Iterator<Row> partitionErrors(java.util.Iterator<Row> rows) {
    double[] errors = new double[1024];
    int n = 0;
    while (rows.hasNext()) {
      if (n == errors.length) {
        errors = java.util.Arrays.copyOf(errors, Math.multiplyExact(2, n));
      }
      errors[n++] = rows.next().getDouble(0);
    }
    return n == 0 ? List.<Row>of().iterator() : List.of(RowFactory.create(java.util.Arrays.copyOf(errors, n))).iterator();
  }

  private static void requireEnough(int errors, long malformed) {
    if (errors < 2) {
      throw new IllegalArgumentException("a baseline needs at least 2 errors, but the images gave " + errors
          + (malformed > 0 ? " (" + malformed + " malformed)" : ""));
    }
  }

  private static double[] doubles(List<Object> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).doubleValue();
    }
    return out;
  }

  private static double[] concat(List<double[]> parts) {
    int total = 0;
    for (double[] p : parts) {
      total = Math.addExact(total, p.length);
    }
    double[] all = new double[total];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
