package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftDetectorConfig;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;

/**
 * Drift over time and groups: which days, cameras or sites of an archive drifted, and from when.
 * For each group of scored images (a value of the group-by columns), in the order of the order-by
 * column, an executor runs
 * <ul>
 *   <li>the calibrated policy ({@code rankTest} by default) on the group's errors as one batch: does
 *       this day, as a whole, look like the baseline? At most {@link Builder#maxTestImages(int)}
 *       errors are tested, a seeded uniform sample of the group's: a sample of exchangeable images
 *       is exchangeable, so the false-alarm rate stays α per group;
 *   <li>a fresh {@link DriftMonitor} on all the group's errors in order ({@code observeErrors}):
 *       when did the stream depart, and where did the change begin (the order value and id of the
 *       change point).
 * </ul>
 *
 * <pre>{@code
 * SparkDriftAudit audit = SparkDriftAudit.builder(baseline)
 *     .groupBy("camera").orderBy("timestamp")
 *     .build();                                   // calibrates the monitor's threshold here, once
 * AuditResult result = audit.run(scored);         // scored by SparkScorer
 * result.groups().show();                         // one row per camera
 * String json = result.report().toJson();
 * }</pre>
 *
 * <p>A group's errors, order values and ids are held in one executor's memory while it is judged
 * (about 8 bytes plus the order value and the id per image): choose groups that fit, such as a
 * camera-day.
 *
 * <p>Immutable and thread-safe.
 */
public final class SparkDriftAudit {

  /** Default most errors of a group that the policy tests. */
  public static final int DEFAULT_MAX_TEST_IMAGES = 5_000;

  /** Default malformed images listed per group. */
  public static final int DEFAULT_LISTED_PROBLEMS = 100;

  /** Default seed of the per-group samples. */
  public static final long DEFAULT_SEED = 20_261_203L;

  /** The group column added when nothing is grouped by: one group, {@code all}. */
  public static final String WHOLE_ARCHIVE_GROUP = "group";

  static final String ORDER = "_drift4j_order";
  static final String ID = "_drift4j_id";

  private final Baseline baseline;
  private final String baselineJson;
  private final String calibrationJson;
  private final List<String> groupBy;
  private final String orderBy;
  private final String idColumn;
  private final PolicyChoice policy;
  private final DriftMonitorConfig monitor;
  private final int maxTestImages;
  private final int listedProblems;
  private final long seed;

  private SparkDriftAudit(Builder b, String calibrationJson) {
    this.baseline = b.baseline;
    this.baselineJson = BaselineStore.toJson(b.baseline);
    this.calibrationJson = calibrationJson;
    this.groupBy = List.copyOf(b.groupBy);
    this.orderBy = b.orderBy;
    this.idColumn = b.idColumn;
    this.policy = b.policy;
    this.monitor = b.monitor;
    this.maxTestImages = b.maxTestImages;
    this.listedProblems = b.listedProblems;
    this.seed = b.seed;
  }

  /**
   * A builder of an audit against {@code baseline}.
   *
   * @param baseline the baseline of the model that scored the images
   * @return a new builder
   */
  public static Builder builder(Baseline baseline) {
    return new Builder(Objects.requireNonNull(baseline, "baseline"));
  }

  /**
   * Judges every group of {@code scored} (lazily: the result's actions run it).
   *
   * @param scored the output of {@link SparkScorer#score}: the group, order and id columns,
   *     {@value SparkScorer#ERROR_COLUMN} and {@value SparkScorer#PROBLEM_COLUMN}
   * @return the per-group results
   * @throws IllegalArgumentException if a column the audit needs is missing, or a group column is
   *     named like a result column
   */
  public AuditResult run(Dataset<Row> scored) {
    Objects.requireNonNull(scored, "scored");
    List<String> names = Arrays.asList(scored.schema().fieldNames());
    AuditSchema.requireColumns(names, groupBy, orderBy, idColumn);
    String id = idColumn != null ? idColumn : names.contains(SparkBaselines.PATH_COLUMN) ? SparkBaselines.PATH_COLUMN
        : null;
    List<String> keys = groupBy.isEmpty() ? List.of(WHOLE_ARCHIVE_GROUP) : groupBy;
    List<Column> columns = new ArrayList<>();
    for (String k : groupBy) {
      columns.add(col(k));
    }
    if (groupBy.isEmpty()) {
      columns.add(lit("all").as(WHOLE_ARCHIVE_GROUP));
    }
    columns.add((orderBy != null ? col(orderBy) : monotonically_increasing_id()).as(ORDER));
    columns.add((id != null ? col(id).cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType)).as(ID));
    columns.add(col(SparkScorer.ERROR_COLUMN).cast(DataTypes.DoubleType));
    columns.add(col(SparkScorer.PROBLEM_COLUMN));
    Dataset<Row> thin = scored.select(columns.toArray(new Column[0]));
    StructType thinSchema = thin.schema();
    List<StructField> keyFields = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      keyFields.add(thinSchema.fields()[k]);
    }
    DataType orderType = thinSchema.apply(ORDER).dataType();
    StructType out = AuditSchema.of(keyFields, orderType);
    int keyCount = keys.size();
    MapFunction<Row, Row> keyOf = row -> {
      Object[] values = new Object[keyCount];
      for (int k = 0; k < keyCount; k++) {
        values[k] = row.get(k);
      }
      return RowFactory.create(values);
    };
    AuditGroups judge = new AuditGroups(
        JavaSparkContext.fromSparkContext(scored.sparkSession().sparkContext()).broadcast(baselineJson),
        calibrationJson, monitor, policy, maxTestImages, listedProblems, seed, keyCount);
    Dataset<Row> groups = thin.groupByKey(keyOf, Encoders.row(DataTypes.createStructType(keyFields)))
        .flatMapSortedGroups(new Column[] {col(ORDER), col(ID)}, judge, Encoders.row(out));
    return new AuditResult(groups, keys, orderBy, this);
  }

  /** {@return the baseline} */
  public Baseline baseline() {
    return baseline;
  }

  /** {@return the group-by columns (none: the whole archive is one group)} */
  public List<String> groupBy() {
    return groupBy;
  }

  /** {@return the column whose order is time order within a group, or null for the input's order} */
  public String orderBy() {
    return orderBy;
  }

  /** {@return the policy's name, as reports give it} */
  public String policyName() {
    return policy.create().name();
  }

  /** {@return the monitor's config} */
  public DriftMonitorConfig monitorConfig() {
    return monitor;
  }

  /** {@return the most errors of a group the policy tests} */
  public int maxTestImages() {
    return maxTestImages;
  }

  @Override
  public String toString() {
    return "SparkDriftAudit[baseline " + baseline.id() + ", groupBy " + groupBy + ", orderBy " + orderBy + ", "
        + policyName() + ", expectedRunTime " + monitor.expectedRunTime() + "]";
  }

  /**
   * Builds a {@link SparkDriftAudit}; each setter validates at once, {@link #build()} calibrates
   * the monitor's threshold. Not thread-safe; the audit is.
   */
  public static final class Builder {
    private final Baseline baseline;
    private List<String> groupBy = List.of();
    private String orderBy;
    private String idColumn;
    private PolicyChoice policy = new PolicyChoice(PolicyChoice.Kind.RANK_TEST, DriftDetectorConfig.DEFAULT_ALPHA);
    private DriftMonitorConfig monitor = DriftMonitorConfig.ofDefaults();
    private int maxTestImages = DEFAULT_MAX_TEST_IMAGES;
    private int listedProblems = DEFAULT_LISTED_PROBLEMS;
    private long seed = DEFAULT_SEED;

    private Builder(Baseline baseline) {
      this.baseline = baseline;
    }

    /**
     * The columns whose values make the groups, e.g. {@code "day"} or {@code "camera", "day"};
     * default none (the whole archive is one group, {@value #WHOLE_ARCHIVE_GROUP} = {@code all}).
     *
     * @param columns the column names
     * @return this builder
     * @throws IllegalArgumentException if a name is blank, repeated, or a result column's name
     */
    public Builder groupBy(String... columns) {
      List<String> list = List.of(columns);
      for (String c : list) {
        if (c.isBlank() || AuditSchema.RESULT_NAMES.contains(c) || c.startsWith("_drift4j")) {
          throw new IllegalArgumentException("group column must be a column name other than " + AuditSchema.RESULT_NAMES
              + ", but was '" + c + "'");
        }
      }
      if (list.stream().distinct().count() != list.size()) {
        throw new IllegalArgumentException("group columns must differ, but were " + list);
      }
      this.groupBy = list;
      return this;
    }

    /**
     * The column whose order is time order within a group (a timestamp, a sequence number, a
     * path); default none: the input's order. Ties are broken by the id column.
     *
     * @param column the column name
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder orderBy(String column) {
      this.orderBy = requireName("orderBy", column);
      return this;
    }

    /**
     * The column that names an image in reports (where a change began, which files are
     * malformed); default {@value SparkBaselines#PATH_COLUMN} when the input has it.
     *
     * @param column the column name
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder idColumn(String column) {
      this.idColumn = requireName("idColumn", column);
      return this;
    }

    private static String requireName(String what, String column) {
      Objects.requireNonNull(column, what);
      if (column.isBlank()) {
        throw new IllegalArgumentException(what + " must be a column name, but was blank");
      }
      return column;
    }

    /**
     * Tests each group with {@link org.drift4j.DriftPolicy#rankTest(double)} (the default, at
     * {@link DriftDetectorConfig#DEFAULT_ALPHA}).
     *
     * @param alpha the false-alarm rate per group
     * @return this builder
     * @throws IllegalArgumentException if {@code alpha} is outside (0, 1)
     */
    public Builder rankTest(double alpha) {
      this.policy = new PolicyChoice(PolicyChoice.Kind.RANK_TEST, alpha);
      return this;
    }

    /**
     * Tests each group with {@link org.drift4j.DriftPolicy#ksTest(double)}.
     *
     * @param alpha the false-alarm rate per group
     * @return this builder
     * @throws IllegalArgumentException if {@code alpha} is outside (0, 1)
     */
    public Builder ksTest(double alpha) {
      this.policy = new PolicyChoice(PolicyChoice.Kind.KS_TEST, alpha);
      return this;
    }

    /**
     * Tests each group with {@link org.drift4j.DriftPolicy#relativeIncrease(double)} (not calibrated).
     *
     * @param fraction the allowed relative increase of the mean error
     * @return this builder
     * @throws IllegalArgumentException if {@code fraction} is not a finite value greater than 0
     */
    public Builder relativeIncrease(double fraction) {
      this.policy = new PolicyChoice(PolicyChoice.Kind.RELATIVE_INCREASE, fraction);
      return this;
    }

    /**
     * The monitor's expected run time and behaviour; default {@link DriftMonitorConfig#ofDefaults()}.
     *
     * @param config the config
     * @return this builder
     */
    public Builder monitor(DriftMonitorConfig config) {
      this.monitor = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The most errors of a group the policy tests; default {@value #DEFAULT_MAX_TEST_IMAGES}. The
     * rank test's calibration costs about a second per thousand images of a new batch size; groups
     * larger than this share one.
     *
     * @param images the limit
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1
     */
    public Builder maxTestImages(int images) {
      if (images < 1) {
        throw new IllegalArgumentException("maxTestImages must be at least 1, but was " + images);
      }
      this.maxTestImages = images;
      return this;
    }

    /**
     * Malformed images listed per group; default {@value #DEFAULT_LISTED_PROBLEMS} (all are counted).
     *
     * @param images the limit
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is negative
     */
    public Builder listedProblems(int images) {
      if (images < 0) {
        throw new IllegalArgumentException("listedProblems must be at least 0, but was " + images);
      }
      this.listedProblems = images;
      return this;
    }

    /**
     * The seed of the per-group samples; default {@value #DEFAULT_SEED}.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the audit, calibrating the monitor's threshold once, on this machine (seconds for an
     * expected run time of 10,000; the executors reuse it).
     *
     * @return the audit
     * @throws IllegalArgumentException if the baseline is too small for the monitor's expected run
     *     time, with the numbers
     * @throws UncheckedIOException if the calibration cannot be written to a temporary file
     */
    public SparkDriftAudit build() {
      try {
        Path dir = Files.createTempDirectory("drift4j-audit");
        Path file = dir.resolve("calibration.json");
        try {
          DriftMonitor.builder(baseline).config(monitor).calibrationCache(file).build();
          return new SparkDriftAudit(this, Files.readString(file, StandardCharsets.UTF_8));
        } finally {
          Files.deleteIfExists(file);
          Files.deleteIfExists(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("the monitor's calibration could not be kept in a temporary file", e);
      }
    }
  }
}
