package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.drift4j.Baseline;
import org.drift4j.ImageBatch;
import org.drift4j.PixelErrorStatistics;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkBaselinesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private static Baseline inOneJvm(ImageBatch images) throws IOException {
    try (OnnxAutoencoder engine = OnnxAutoencoder.fromBytes(SparkFixtures.blurModel(SparkFixtures.SHAPE),
        OnnxConfig.ofDefaults())) {
      return Baseline.compute(engine, images, ReconstructionError.MEAN_SQUARED_ERROR, CLOCK);
    }
  }

  private static SparkScorer scorer() {
    return SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR).chunkImages(64).build();
  }

  private Dataset<Row> folder(String name, int blobs, long seed) {
    SparkFixtures.writePngs(dir.resolve(name), SyntheticImages.blobs(SparkFixtures.SHAPE, blobs, seed), "blob");
    return SparkFixtures.spark().read().format("binaryFile").load(dir.resolve(name).toString()).repartition(4);
  }

  @Test
  void anExactBaselineEqualsBaselineComputeInOneJvmPixelStatisticsIncluded() throws IOException {
    Dataset<Row> images = folder("validation", 300, 11);
    SparkBaseline made = SparkBaselines.compute(scorer(), images, ImageColumn.encoded("content"),
        SparkBaselineConfig.custom().clock(CLOCK).build());
    Baseline expected = inOneJvm(SparkFixtures.readPngs(dir.resolve("validation")));

    assertThat(made.exact()).isTrue();
    assertThat(made.rankErrorBound()).isZero();
    assertThat(made.population()).isEqualTo(300);
    Baseline b = made.baseline();
    assertThat(b.count()).isEqualTo(expected.count());
    double[] got = b.sortedErrors();
    double[] want = expected.sortedErrors();
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("sorted error %d", i).isCloseTo(want[i], within(1e-6));
    }
    assertThat(b.errorMeasure()).isEqualTo(expected.errorMeasure());
    assertThat(b.shape()).isEqualTo(expected.shape());
    assertThat(b.autoencoderFingerprint()).isEqualTo(expected.autoencoderFingerprint());
    assertThat(b.preprocessing()).isEqualTo(expected.preprocessing());
    assertThat(b.createdAt()).isEqualTo(expected.createdAt());
    PixelErrorStatistics p = b.pixelStatistics().orElseThrow();
    PixelErrorStatistics q = expected.pixelStatistics().orElseThrow();
    assertThat(p.count()).isEqualTo(q.count());
    float[] pm = p.mean();
    float[] qm = q.mean();
    float[] pv = p.variance();
    float[] qv = q.variance();
    for (int k = 0; k < pm.length; k++) {
      assertThat(pm[k]).as("mean of pixel %d", k).isCloseTo(qm[k], within(1e-6f));
      assertThat(pv[k]).as("variance of pixel %d", k).isCloseTo(qv[k], within(1e-6f));
    }
  }

  @Test
  void aSampledBaselinesQuantilesLieWithinTheStatedRankErrorOfAllTheErrors() {
    int n = 200_000;
    Dataset<Row> errors = SparkFixtures.spark().range(n).repartition(8).select(pow(rand(7), 2).as("e"));
    double[] all = errors.collectAsList().stream().mapToDouble(r -> r.getDouble(0)).sorted().toArray();
    Baseline full = Baseline.of(all, ReconstructionError.MEAN_SQUARED_ERROR, SparkFixtures.SHAPE, "test", CLOCK.instant());

    SparkBaseline made = SparkBaselines.fromErrors(errors, "e", ReconstructionError.MEAN_SQUARED_ERROR,
        SparkFixtures.SHAPE, "test", SparkBaselineConfig.custom().maxExactErrors(100_000).sampleSize(20_000).build());

    assertThat(made.exact()).isFalse();
    assertThat(made.population()).isEqualTo(n);
    assertThat(made.baseline().count()).isBetween(20_000 - 5 * 142, 20_000 + 5 * 142);
    assertThat(made.rankErrorBound()).isCloseTo(Math.sqrt(Math.log(200) / (2.0 * made.baseline().count())),
        within(1e-12));
    for (double q = 0.001; q < 1; q += 0.007) {
      double sampled = made.baseline().quantile(q);
      double rank = (double) lowerBound(all, sampled) / n;
      double fullRank = (double) lowerBound(all, full.quantile(q)) / n;
      assertThat(rank).as("rank in all errors of the sample's %.3f-quantile", q)
          .isCloseTo(fullRank, within(made.rankErrorBound()));
    }
    for (double e : made.baseline().sortedErrors()) {
      assertThat(all[lowerBound(all, e)]).isEqualTo(e);
    }
  }

  private static int lowerBound(double[] sorted, double value) {
    int i = Arrays.binarySearch(sorted, value);
    return i >= 0 ? i : -i - 1;
  }

  @Test
  void aSampledBaselineFromImagesHasPixelStatisticsOfExactlyItsImages() throws IOException {
    Dataset<Row> images = folder("many", 1_500, 12);
    SparkBaseline made = SparkBaselines.compute(scorer(), images, ImageColumn.encoded("content"),
        SparkBaselineConfig.custom().maxExactErrors(1_200).sampleSize(1_000).build());
    double[] all = inOneJvm(SparkFixtures.readPngs(dir.resolve("many"))).sortedErrors();

    assertThat(made.exact()).isFalse();
    assertThat(made.population()).isEqualTo(1_500);
    assertThat(made.baseline().count()).isBetween(850, 1_150);
    assertThat(made.baseline().pixelStatistics().orElseThrow().count()).isEqualTo(made.baseline().count());
    for (double e : made.baseline().sortedErrors()) {
      int i = lowerBound(all, e - 1e-6);
      assertThat(all[Math.min(i, all.length - 1)]).as("a sampled error among all errors").isCloseTo(e, within(1e-6));
    }
  }

  @Test
  void scoresMakeABaselineWithoutTheirMalformedImagesAndCountThem() throws IOException {
    folder("scored", 40, 13);
    Files.writeString(dir.resolve("scored").resolve("broken.png"), "no", StandardCharsets.UTF_8);
    Dataset<Row> scored = scorer().score(SparkFixtures.spark().read().format("binaryFile")
        .load(dir.resolve("scored").toString()), ImageColumn.encoded("content"));
    SparkBaseline made = SparkBaselines.fromScores(scorer(), scored, SparkBaselineConfig.ofDefaults());

    assertThat(made.baseline().count()).isEqualTo(40);
    assertThat(made.malformed()).isEqualTo(1);
    assertThat(made.baseline().autoencoderFingerprint()).isEqualTo(SparkFixtures.model().fingerprint());
  }

  @Test
  void aColumnOfTextIsRefusedNamingTheColumnAndTheSchema() {
    Dataset<Row> text = SparkFixtures.spark().range(10).select(col("id").cast("string").as("e"));
    assertThatThrownBy(() -> SparkBaselines.fromErrors(text, "e", ReconstructionError.MEAN_SQUARED_ERROR,
        SparkFixtures.SHAPE, "x", SparkBaselineConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("error column e must be a numeric column of the dataset, whose schema is struct<e:string>");
  }

  @Test
  void aSampleLargerThanTheExactLimitIsRefusedWithBothValues() {
    assertThatThrownBy(() -> SparkBaselineConfig.custom().maxExactErrors(5_000).sampleSize(10_000).build())
        .hasMessage("sampleSize must be at most maxExactErrors 5000, but was 10000");
    assertThatThrownBy(() -> SparkBaselineConfig.custom().sampleSize(10))
        .hasMessage("sampleSize must be at least 1,000, but was 10");
  }
}
