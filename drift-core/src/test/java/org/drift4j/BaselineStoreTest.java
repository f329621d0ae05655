package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineStoreTest {

  @TempDir
  Path dir;

  private static Baseline sample(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] errors = r.doubles(500).map(u -> 0.1 + 0.05 * u).toArray();
    return Baseline.of(errors, ReconstructionError.BINARY_CROSS_ENTROPY, ImageShape.grey(28, 28),
        "sha256:abc", Instant.parse("2026-11-30T10:15:30.123Z"));
  }

  @Test
  void aWrittenBaselineReadsBackIdentical() throws IOException {
    Baseline b = sample(1);
    Path file = dir.resolve("nested/baseline.json");
    BaselineStore.write(b, file);
    Baseline read = BaselineStore.read(file);
    assertThat(read).isEqualTo(b);
    assertThat(read.sortedErrors()).containsExactly(b.sortedErrors());
    assertThat(read.createdAt()).isEqualTo(b.createdAt());
    assertThat(read.shape()).isEqualTo(b.shape());
    assertThat(read.errorMeasure()).isEqualTo(b.errorMeasure());
    assertThat(read.autoencoderFingerprint()).isEqualTo(b.autoencoderFingerprint());
  }

  @Test
  void overwritingLeavesNoTemporaryFilesBehind() throws IOException {
    Path file = dir.resolve("baseline.json");
    BaselineStore.write(sample(1), file);
    BaselineStore.write(sample(2), file);
    assertThat(BaselineStore.read(file)).isEqualTo(sample(2));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aFailedWriteKeepsThePreviousFile() throws IOException {
    Path file = dir.resolve("baseline.json");
    BaselineStore.write(sample(1), file);
    Path blocked = dir.resolve("not-a-dir");
    Files.writeString(blocked, "x");
    assertThatThrownBy(() -> BaselineStore.write(sample(2), blocked.resolve("baseline.json")))
        .isInstanceOf(IOException.class);
    assertThat(BaselineStore.read(file)).isEqualTo(sample(1));
  }

  @Test
  void aTruncatedFileIsRefusedAsCorrupt() throws IOException {
    Path file = dir.resolve("baseline.json");
    BaselineStore.write(sample(1), file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> BaselineStore.read(file))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageStartingWith(file + ": not valid JSON (corrupt, truncated or edited baseline file)");
  }

  @Test
  void aFileThatIsNotABaselineIsRefused() throws IOException {
    Path file = dir.resolve("other.json");
    Files.writeString(file, "{\"hello\": 1}");
    assertThatThrownBy(() -> BaselineStore.read(file))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("format must be \"drift4j-baseline\", but was");
  }

  @Test
  void aFutureSchemaVersionIsRefusedWithAnUpgradeHint() throws IOException {
    String json = BaselineStore.toJson(sample(1)).replace("\"schemaVersion\" : 2", "\"schemaVersion\" : 7");
    assertThatThrownBy(() -> BaselineStore.fromJson(json))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessage("schemaVersion 7 is newer than this library reads (at most 2); upgrade Drift4j to load it");
  }

  @Test
  void anEditedErrorIsCaughtByTheContentId() {
    Baseline b = sample(1);
    String json = BaselineStore.toJson(b);
    String first = Double.toString(b.sortedErrors()[0]);
    String edited = json.replaceFirst(java.util.regex.Pattern.quote(first + ","), "0.5,");
    assertThat(edited).isNotEqualTo(json);
    assertThatThrownBy(() -> BaselineStore.fromJson(edited))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("does not match its id " + b.id());
  }

  @Test
  void aMissingOrMistypedFieldIsNamed() {
    String json = BaselineStore.toJson(sample(1));
    assertThatThrownBy(() -> BaselineStore.fromJson(json.replace("\"errorMeasure\" : \"BINARY_CROSS_ENTROPY\"",
        "\"errorMeasure\" : \"HINGE\"")))
        .hasMessageContaining("errorMeasure must be one of").hasMessageContaining("but was HINGE");
    assertThatThrownBy(() -> BaselineStore.fromJson(json.replace("\"count\" : 500", "\"count\" : 499")))
        .hasMessage("count says 499 errors, but the file holds 500 (truncated or edited file)");
    assertThatThrownBy(() -> BaselineStore.fromJson(json.replace("\"height\" : 28", "\"height\" : 0")))
        .hasMessage("shape is invalid: height must be at least 1, but was 0");
  }

  @Test
  void aMissingFileSaysSo() {
    assertThatThrownBy(() -> BaselineStore.read(dir.resolve("absent.json"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void theFileIsReadableJsonWithSummaryStatistics() throws IOException {
    Path file = dir.resolve("b.json");
    BaselineStore.write(sample(3), file);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).contains("\"format\" : \"drift4j-baseline\"", "\"quantiles\"", "\"0.99\"", "\"mean\"");
  }

  @Test
  void anEditedSummaryFieldIsRefusedThoughTheErrorsAndIdAreIntact() throws IOException {
    Baseline b = sample(3);
    String json = BaselineStore.toJson(b);
    String editedMean = json.replace("\"mean\" : " + b.mean(), "\"mean\" : 0.5");
    assertThat(editedMean).isNotEqualTo(json);
    assertThatThrownBy(() -> BaselineStore.fromJson(editedMean))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessage("mean must be " + b.mean() + ", what the errors give, but was 0.5: the file was edited or corrupted");
    String editedQuantile = json.replace("\"0.99\" : " + b.quantile(0.99), "\"0.99\" : 1.0");
    assertThat(editedQuantile).isNotEqualTo(json);
    assertThatThrownBy(() -> BaselineStore.fromJson(editedQuantile)).hasMessageStartingWith("0.99 must be ");
    String noSd = json.replace("\"standardDeviation\"", "\"sd\"");
    assertThatThrownBy(() -> BaselineStore.fromJson(noSd)).hasMessage("standardDeviation must be a number, but was missing");
  }

  @Test
  void aKeyThatOccursTwiceIsRefusedNotWonByTheLast() {
    String json = BaselineStore.toJson(sample(4));
    String twice = json.replaceFirst("\"errorMeasure\" : \"BINARY_CROSS_ENTROPY\",",
        "\"errorMeasure\" : \"BINARY_CROSS_ENTROPY\", \"errorMeasure\" : \"MEAN_SQUARED_ERROR\",");
    assertThat(twice).isNotEqualTo(json);
    assertThatThrownBy(() -> BaselineStore.fromJson(twice))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageContaining("Duplicate field 'errorMeasure'");
  }

  @Test
  void aSchemaOneFileWrittenByTheFirstReleaseStillReadsWithItsIdAndNoPixelStatistics() throws Exception {
    Path fixture = Path.of(getClass().getResource("/fixtures/baseline-schema1.json").toURI());
    assertThat(Files.readString(fixture)).contains("\"schemaVersion\" : 1");
    Baseline b = BaselineStore.read(fixture);
    assertThat(b.id()).isEqualTo("a2c11f3a1ae6f8ad");
    assertThat(b.count()).isEqualTo(200);
    assertThat(b.mean()).isEqualTo(0.10055958031903894);
    assertThat(b.preprocessing()).isEqualTo(ImagePreprocessing.none());
    assertThat(b.pixelStatistics()).isEmpty();
  }

  @Test
  void aSchemaTwoBaselineKeepsItsPreprocessingAndPixelStatistics() throws IOException {
    ImageShape shape = ImageShape.grey(8, 8);
    var pca = org.drift4j.testkit.PcaAutoencoder.fit(org.drift4j.testkit.SyntheticImages.blobs(shape, 200, 1), 4, 1);
    ImageBatch images = org.drift4j.testkit.SyntheticImages.blobs(shape, 300, 2);
    Baseline b = Baseline.compute(pca, images, ReconstructionError.BINARY_CROSS_ENTROPY)
        .withPreprocessing(ImagePreprocessing.resize(ImagePreprocessing.Interpolation.AREA));
    Path file = dir.resolve("baseline.json");
    BaselineStore.write(b, file);
    assertThat(Files.readString(file)).contains("\"schemaVersion\" : 2").contains("\"preprocessing\" : \"resize:area\"");
    Baseline read = BaselineStore.read(file);
    assertThat(read).isEqualTo(b);
    assertThat(read.id()).isEqualTo(b.id());
    assertThat(read.preprocessing()).isEqualTo(b.preprocessing());
    assertThat(read.pixelStatistics()).contains(b.pixelStatistics().orElseThrow());
  }

  @Test
  void editedPixelStatisticsAreRefusedByTheId() throws IOException {
    ImageShape shape = ImageShape.grey(4, 4);
    var pca = org.drift4j.testkit.PcaAutoencoder.fit(org.drift4j.testkit.SyntheticImages.blobs(shape, 100, 1), 2, 1);
    Baseline b = Baseline.compute(pca, org.drift4j.testkit.SyntheticImages.blobs(shape, 50, 2),
        ReconstructionError.MEAN_SQUARED_ERROR);
    String json = BaselineStore.toJson(b);
    int at = json.indexOf("\"variance\" : [ ") + "\"variance\" : [ ".length();
    String edited = json.substring(0, at) + "7.0" + json.substring(json.indexOf(',', at));
    assertThatThrownBy(() -> BaselineStore.fromJson(edited)).hasMessageContaining("does not match its id");
  }

  @Test
  void aFileThatIsNotUtf8IsRefusedAsABaselineFormatProblem() throws IOException {
    Path file = dir.resolve("baseline.json");
    Files.write(file, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
    assertThatThrownBy(() -> BaselineStore.read(file))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessage(file + ": not UTF-8 text (corrupt, or not a baseline file)");
  }

  @Test
  void aStreamOrUrlReadsAsTheFileDoesAndTheStreamIsLeftOpen() throws IOException {
    Baseline b = sample(2);
    Path file = dir.resolve("baseline.json");
    BaselineStore.write(b, file);
    boolean[] closed = {false};
    byte[] bytes = Files.readAllBytes(file);
    try (InputStream in = new ByteArrayInputStream(bytes) {
      @Override
      public void close() {
        closed[0] = true;
      }
    }) {
      assertThat(BaselineStore.read(in, "classpath:drift/baseline.json")).isEqualTo(b);
      assertThat(closed[0]).isFalse();
    }
    assertThat(BaselineStore.read(file.toUri().toURL())).isEqualTo(b);
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> BaselineStore.read(new ByteArrayInputStream(truncated), "classpath:drift/baseline.json"))
        .isInstanceOf(BaselineFormatException.class)
        .hasMessageStartingWith("classpath:drift/baseline.json: not valid JSON");
    URL missing = dir.resolve("absent.json").toUri().toURL();
    assertThatThrownBy(() -> BaselineStore.read(missing)).isInstanceOf(FileNotFoundException.class);
  }
}
