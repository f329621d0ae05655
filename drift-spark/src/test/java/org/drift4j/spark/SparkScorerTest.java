package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkScorerTest {

  @TempDir
  static Path dir;
  static Path folder;
  static ImageBatch decoded;

  @BeforeAll
  static void writeArchive() {
    folder = dir.resolve("archive");
    SparkFixtures.writePngs(folder, SyntheticImages.blobs(SparkFixtures.SHAPE, 300, 1), "blob");
    SparkFixtures.writePngs(folder, SyntheticImages.noise(SparkFixtures.SHAPE, 60, 2), "noise");
    decoded = SparkFixtures.readPngs(folder);
  }

  private static double[] singleJvm(ImageBatch images, ReconstructionError measure) {
    try (OnnxAutoencoder engine = OnnxAutoencoder.fromBytes(SparkFixtures.blurModel(SparkFixtures.SHAPE),
        OnnxConfig.ofDefaults())) {
      return engine.errors(images, measure);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Dataset<Row> files(Path root) {
    return SparkFixtures.spark().read().format("binaryFile").load(root.toString()).repartition(5);
  }

  @Test
  void errorsOfAFolderOfPngsEqualThoseOfTheSingleJvmPath() {
    for (ReconstructionError measure : List.of(ReconstructionError.MEAN_SQUARED_ERROR,
        ReconstructionError.BINARY_CROSS_ENTROPY)) {
      SparkScorer scorer = SparkScorer.builder(SparkFixtures.model(), measure).chunkImages(32).build();
      List<Row> rows = scorer.score(files(folder), ImageColumn.encoded("content")).orderBy("path").collectAsList();
      double[] expected = singleJvm(decoded, measure);
      assertThat(rows).hasSize(expected.length);
      for (int i = 0; i < expected.length; i++) {
        Row r = rows.get(i);
        assertThat(r.<String>getAs(SparkScorer.PROBLEM_COLUMN)).as("problem of %s", r.<String>getAs("path")).isNull();
        assertThat(r.<Double>getAs(SparkScorer.ERROR_COLUMN)).as("%s of %s", measure, r.<String>getAs("path"))
            .isCloseTo(expected[i], within(1e-6));
      }
    }
  }

  @Test
  void keepsTheInputsColumnsButTheImageAndAddsErrorAndProblem() {
    Dataset<Row> scored = SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR).build()
        .score(files(folder), ImageColumn.encoded("content"));
    assertThat(scored.schema().fieldNames())
        .containsExactly("path", "modificationTime", "length", SparkScorer.ERROR_COLUMN, SparkScorer.PROBLEM_COLUMN);
  }

  @Test
  void malformedFilesAreReportedPerFileAndTheRestIsScored() throws IOException {
    Path mixed = dir.resolve("mixed");
    SparkFixtures.writePngs(mixed, SyntheticImages.blobs(SparkFixtures.SHAPE, 20, 3), "good");
    byte[] png = Files.readAllBytes(mixed.resolve("good-00000.png"));
    Files.write(mixed.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    Files.writeString(mixed.resolve("notes.png"), "not an image", StandardCharsets.UTF_8);
    SparkFixtures.writePngs(mixed.resolve("big"), SyntheticImages.blobs(ImageShape.grey(20, 20), 1, 4), "wrong-size");

    Map<String, String> problems = SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR)
        .chunkImages(8).build()
        .score(SparkFixtures.spark().read().format("binaryFile").option("recursiveFileLookup", "true")
            .load(mixed.toString()), ImageColumn.encoded("content"))
        .where(col(SparkScorer.PROBLEM_COLUMN).isNotNull()).collectAsList().stream()
        .collect(Collectors.toMap(r -> Path.of(java.net.URI.create(r.getString(0))).getFileName().toString(),
            r -> r.<String>getAs(SparkScorer.PROBLEM_COLUMN)));
    assertThat(problems).containsOnlyKeys("truncated.png", "notes.png", "wrong-size-00000.png");
    assertThat(problems.get("notes.png")).contains("not an image file");
    assertThat(problems.get("wrong-size-00000.png")).contains("must be 16x16 (width x height), but was 20x20");
    long scored = SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR).build()
        .score(SparkFixtures.spark().read().format("binaryFile").load(mixed.toString()), ImageColumn.encoded("content"))
        .where(col(SparkScorer.ERROR_COLUMN).isNotNull()).count();
    assertThat(scored).isEqualTo(20);
  }

  @Test
  void pixelArraysOfAnyNumericTypeAreScoredAsTheSingleJvmPathScoresThem() {
    ImageBatch images = SyntheticImages.blobs(SparkFixtures.SHAPE, 50, 5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      float[] p = images.image(i);
      List<Double> values = new ArrayList<>();
      for (float v : p) {
        values.add((double) v);
      }
      rows.add(RowFactory.create((long) i, values));
    }
    rows.add(RowFactory.create(50L, List.of(0.5, 0.5)));
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("pixels", DataTypes.createArrayType(DataTypes.DoubleType), false)));
    List<Row> scored = SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR).build()
        .score(SparkFixtures.spark().createDataFrame(rows, schema).repartition(3), ImageColumn.pixels("pixels"))
        .orderBy("id").collectAsList();
    double[] expected = singleJvm(images, ReconstructionError.MEAN_SQUARED_ERROR);
    for (int i = 0; i < expected.length; i++) {
      assertThat(scored.get(i).getString(2)).as("problem of image %d", i).isNull();
      assertThat(scored.get(i).getDouble(1)).isCloseTo(expected[i], within(1e-6));
    }
    assertThat(scored.get(50).getString(2)).isEqualTo("the image must hold 256 values (1x16x16), but held 2");
  }

  @Test
  void theModelIsOpenedOncePerExecutorNotOncePerPartition() {
    SparkScorer scorer = SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR).build();
    ExecutorModels.closeIdle();
    int before = ExecutorModels.openedSoFar();
    Dataset<Row> twelvePartitions = SparkFixtures.spark().read().format("binaryFile").load(folder.toString())
        .repartition(12);
    long scored = scorer.score(twelvePartitions, ImageColumn.encoded("content")).count();
    assertThat(scored).isEqualTo(360);
    // local[2]: one executor (this JVM), two task threads, twelve partitions
    assertThat(ExecutorModels.openedSoFar() - before).as("models opened for 12 partitions").isEqualTo(1);
    scorer.score(twelvePartitions, ImageColumn.encoded("content")).count();
    assertThat(ExecutorModels.openedSoFar() - before).as("models opened for a second job").isEqualTo(1);
  }

  @Test
  void refusesAnImageColumnTheTableLacksNamingItsColumns() {
    SparkScorer scorer = SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR).build();
    assertThatThrownBy(() -> scorer.score(files(folder), ImageColumn.encoded("image")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image column image must be a column of the dataset, whose columns are [path, modificationTime,"
            + " length, content]");
    assertThatThrownBy(() -> scorer.score(files(folder), ImageColumn.pixels("content")))
        .hasMessage("pixel column content must be an array of numbers, but was binary");
    assertThatThrownBy(() -> scorer.score(files(folder).withColumn("error", col("length")),
        ImageColumn.encoded("content")))
        .hasMessageContaining("must not have a column named error");
  }

  @Test
  void chunkSizesOutsideTheirRangeAreRefusedWithTheValue() {
    assertThatThrownBy(() -> SparkScorer.builder(SparkFixtures.model(), ReconstructionError.MEAN_SQUARED_ERROR)
        .chunkImages(0)).hasMessage("chunkImages must be between 1 and 65,536, but was 0");
  }
}
