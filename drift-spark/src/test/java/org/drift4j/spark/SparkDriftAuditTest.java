package org.drift4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.drift4j.Baseline;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.DriftPolicy;
import org.drift4j.DriftReport;
import org.drift4j.MonitorObservation;
import org.drift4j.PolicyDecision;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkDriftAuditTest {

  static final DriftMonitorConfig MONITOR = DriftMonitorConfig.custom().expectedRunTime(1_000).build();
  static final int DAYS = 6;
  static final int PER_DAY = 400;
  static final int DRIFTED_DAY = 3;
  static Baseline baseline;
  static List<Row> rows;
  static Dataset<Row> scored;
  static SparkDriftAudit audit;
  static AuditReport report;
  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path dir;

  @BeforeAll
  static void makeErrors() {
    SplittableRandom random = new SplittableRandom(5);
    double[] clean = new double[2_000];
    for (int i = 0; i < clean.length; i++) {
      clean[i] = random.nextDouble();
    }
    baseline = Baseline.of(clean, ReconstructionError.MEAN_SQUARED_ERROR, SparkFixtures.SHAPE, "test", Instant.EPOCH);
    rows = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      for (int i = 0; i < PER_DAY; i++) {
        double e = random.nextDouble();
        // from image 150 of the drifted day, a third of its images come from elsewhere: errors beyond the baseline's
        if (d == DRIFTED_DAY && i >= 150 && i % 3 == 0) {
          e = 1 + random.nextDouble();
        }
        rows.add(RowFactory.create("day" + d, (long) (d * 100_000 + i), "file-" + d + "-" + i, e, null));
      }
    }
    rows.add(RowFactory.create("day1", 100_500L, "broken.png", null, "not an image file ImageIO can read (2 bytes)"));
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("day", DataTypes.StringType, false),
        DataTypes.createStructField("ts", DataTypes.LongType, false),
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField(SparkScorer.ERROR_COLUMN, DataTypes.DoubleType, true),
        DataTypes.createStructField(SparkScorer.PROBLEM_COLUMN, DataTypes.StringType, true)));
    List<Row> shuffled = new ArrayList<>(rows);
    java.util.Collections.shuffle(shuffled, new java.util.Random(3));
    scored = SparkFixtures.spark().createDataFrame(shuffled, schema).repartition(3);
    audit = SparkDriftAudit.builder(baseline).groupBy("day").orderBy("ts").monitor(MONITOR).build();
    report = audit.run(scored).report();
  }

  private static double[] errorsOfDay(int d) {
    return rows.stream().filter(r -> r.getString(0).equals("day" + d) && !r.isNullAt(3))
        .sorted((a, b) -> Long.compare(a.getLong(1), b.getLong(1))).mapToDouble(r -> r.getDouble(3)).toArray();
  }

  @Test
  void everyGroupGetsTheDecisionAndAlarmsOfTheSingleJvmPolicyAndMonitor() {
    assertThat(report.groups()).hasSize(DAYS);
    DriftPolicy policy = DriftPolicy.rankTest(0.01);
    for (int d = 0; d < DAYS; d++) {
      AuditReport.Group g = report.groups().get(d);
      double[] errors = errorsOfDay(d);
      assertThat(g.key()).containsEntry("day", "day" + d);
      assertThat(g.images()).isEqualTo(errors.length);
      PolicyDecision expected = policy.decide(errors, baseline);
      assertThat(g.drift()).as("decision of day %d", d).isEqualTo(expected.drift());
      assertThat(g.pValue()).as("p-value of day %d", d).isEqualTo(expected.pValue());
      assertThat(g.statistic()).isEqualTo(expected.statistic());
      DriftMonitor monitor = DriftMonitor.builder(baseline).config(MONITOR)
          .calibrationCache(dir.resolve("calibration.json")).build();
      MonitorObservation seen = monitor.observeErrors(errors);
      assertThat(g.alarms()).as("alarms of day %d", d).hasSize(seen.alarms().size());
      for (int a = 0; a < seen.alarms().size(); a++) {
        DriftAlarm want = seen.alarms().get(a);
        AuditReport.Alarm got = g.alarms().get(a);
        assertThat(got.image()).isEqualTo(want.image());
        assertThat(got.changePoint()).isEqualTo(want.changePoint());
        assertThat(got.cause()).isEqualTo(want.cause());
        assertThat(got.at()).isEqualTo((long) (d * 100_000 + want.image()));
      }
    }
  }

  @Test
  void onFoldersOfPngsEachDaysDecisionIsTheSingleJvmDetectorsOnThatDaysImages() throws IOException {
    java.nio.file.Path archive = dir.resolve("png-archive");
    for (int d = 1; d <= 4; d++) {
      SparkFixtures.writePngs(archive.resolve("day=" + d), d == 3 ? SyntheticImages.noise(SparkFixtures.SHAPE, 60, d)
          : SyntheticImages.blobs(SparkFixtures.SHAPE, 60, 40 + d), "img");
    }
    byte[] model = SparkFixtures.blurModel(SparkFixtures.SHAPE);
    try (OnnxAutoencoder engine = OnnxAutoencoder.fromBytes(model, OnnxConfig.ofDefaults())) {
      Baseline clean = Baseline.compute(engine, SyntheticImages.blobs(SparkFixtures.SHAPE, 500, 40),
          ReconstructionError.MEAN_SQUARED_ERROR);
      Dataset<Row> files = SparkFixtures.spark().read().format("binaryFile").load(archive.toString()).repartition(3);
      Dataset<Row> errors = SparkScorer.builder(SparkModel.of(model), clean.errorMeasure()).chunkImages(16).build()
          .score(files, ImageColumn.encoded(ImageColumn.BINARY_FILE_CONTENT));
      AuditReport found = SparkDriftAudit.builder(clean).groupBy("day").orderBy("path")
          .monitor(DriftMonitorConfig.custom().expectedRunTime(200).build()).build()
          .run(errors).report();

      DriftDetector detector = DriftDetector.builder(engine, clean).build();
      assertThat(found.groups()).hasSize(4);
      for (AuditReport.Group g : found.groups()) {
        int day = (Integer) g.key().get("day");
        DriftReport expected = detector.check(SparkFixtures.readPngs(archive.resolve("day=" + day)));
        assertThat(g.images()).isEqualTo(60);
        assertThat(g.meanError()).as("mean error of day %d", day).isCloseTo(expected.batchMeanError(), within(1e-6));
        assertThat(g.drift()).as("decision of day %d", day).isEqualTo(expected.drift());
        assertThat(g.pValue()).as("p-value of day %d", day).isCloseTo(expected.decision().pValue(), within(1e-9));
        assertThat(g.statistic()).as("statistic of day %d", day)
            .isCloseTo(expected.decision().statistic(), within(1e-9));
      }
      assertThat(found.groups().get(2).drift()).as("the day of noise").isTrue();
    }
  }

  @Test
  void theDriftedDayIsFlaggedFromAboutWhenItsDriftBegan() {
    assertThat(report.flagged()).extracting(g -> g.key().get("day")).containsExactly("day" + DRIFTED_DAY);
    AuditReport.Alarm first = report.flagged().get(0).alarms().get(0);
    assertThat(first.changePoint()).isBetween(100L, 200L);
    assertThat(first.changeId()).startsWith("file-" + DRIFTED_DAY + "-");
    assertThat(first.cause()).isNotBlank();
  }

  @Test
  void malformedImagesAreCountedAndListedWithTheirFileInTheReport() throws Exception {
    assertThat(report.malformed()).isEqualTo(1);
    assertThat(report.images()).isEqualTo(DAYS * PER_DAY);
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("format").asText()).isEqualTo(AuditReport.FORMAT);
    assertThat(json.get("flaggedGroups").get(0).get("day").asText()).isEqualTo("day" + DRIFTED_DAY);
    JsonNode day1 = json.get("groups").get(1);
    assertThat(day1.get("malformed").asLong()).isEqualTo(1);
    assertThat(day1.get("problems").get(0).get("id").asText()).isEqualTo("broken.png");
    assertThat(day1.get("problems").get(0).get("problem").asText()).startsWith("not an image file");
    assertThat(json.get("baseline").get("id").asText()).isEqualTo(baseline.id());
  }

  @Test
  void withoutGroupsTheArchiveIsOneGroupAndLargeGroupsAreTestedOnASample() {
    AuditReport report = SparkDriftAudit.builder(baseline).orderBy("ts").maxTestImages(500).monitor(MONITOR).build()
        .run(scored).report();
    assertThat(report.groups()).singleElement().satisfies(g -> {
      assertThat(g.key()).containsEntry(SparkDriftAudit.WHOLE_ARCHIVE_GROUP, "all");
      assertThat(g.images()).isEqualTo(DAYS * PER_DAY);
      assertThat(g.testedImages()).isEqualTo(500);
      assertThat(g.alarms()).isNotEmpty();
      assertThat(g.alarms().get(0).at()).isInstanceOf(Long.class);
    });
  }

  @Test
  void columnsTheAuditNeedsAreRequiredByName() {
    assertThatThrownBy(() -> SparkDriftAudit.builder(baseline).groupBy("camera").monitor(MONITOR).build().run(scored))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scored must have a column camera, but its columns are [day, ts, path, error, problem]");
    assertThatThrownBy(() -> SparkDriftAudit.builder(baseline).groupBy("drift"))
        .hasMessageContaining("but was 'drift'");
    assertThatThrownBy(() -> SparkDriftAudit.builder(baseline).maxTestImages(0))
        .hasMessage("maxTestImages must be at least 1, but was 0");
    assertThatThrownBy(() -> SparkDriftAudit.builder(baseline).rankTest(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Arrays.asList(audit.groupBy().toArray())).containsExactly("day");
  }
}
