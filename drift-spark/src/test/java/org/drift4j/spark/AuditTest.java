package org.drift4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int audit(String... args) {
    return Audit.run(SparkFixtures.spark(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void makesABaselineThenFindsTheDayOfForeignImagesAndListsTheMalformedFile() throws IOException {
    Path model = dir.resolve("model").resolve("model.onnx");
    Files.createDirectories(model.getParent());
    Files.write(model, SparkFixtures.blurModel(SparkFixtures.SHAPE));
    SparkFixtures.writePngs(dir.resolve("validation"), SyntheticImages.blobs(SparkFixtures.SHAPE, 400, 21), "v");
    Path archive = dir.resolve("archive");
    for (int d = 1; d <= 4; d++) {
      Path day = archive.resolve("day=2026-01-0" + d);
      SparkFixtures.writePngs(day, d == 3 ? SyntheticImages.noise(SparkFixtures.SHAPE, 80, d)
          : SyntheticImages.blobs(SparkFixtures.SHAPE, 80, 30 + d), "img");
    }
    Files.writeString(archive.resolve("day=2026-01-02").resolve("img-99999.png"), "oops", StandardCharsets.UTF_8);

    assertThat(audit("--images", dir.resolve("validation").toString(), "--model", model.toString(),
        "--out", dir.resolve("model").toString(), "--make-baseline", "--measure", "mean-squared-error"))
        .as("make-baseline, stderr %s", err).isZero();
    Baseline baseline = BaselineStore.read(model.resolveSibling("baseline.json"));
    assertThat(baseline.count()).isEqualTo(400);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("baseline of 400 errors (exact), 0 malformed");

    Path report = dir.resolve("audit");
    assertThat(audit("--images", archive.toString(), "--model", model.toString(), "--group-by", "day",
        "--out", report.toString(), "--expected-run-time", "300")).as("audit, stderr %s", err).isZero();
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertThat(json.get("images").asLong()).isEqualTo(320);
    assertThat(json.get("malformed").asLong()).isEqualTo(1);
    assertThat(json.get("flaggedGroups")).hasSize(1);
    assertThat(json.get("flaggedGroups").get(0).get("day").asText()).isEqualTo("2026-01-03");
    JsonNode day2 = json.get("groups").get(1);
    assertThat(day2.get("problems").get(0).get("id").asText()).endsWith("day=2026-01-02/img-99999.png");
    assertThat(report.resolve("groups")).isDirectory();
    assertThat(report.resolve("errors")).isDirectory();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("320 images, 1 malformed, 4 groups, 1 flagged");
  }

  @Test
  void aBadCommandLineExitsTwoWithOneLineNamingTheOption() {
    assertThat(audit("--images", "x", "--model", "m.onnx", "--out", "o", "--alpha", "many")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("drift4j audit: --alpha must be a number, but was"
        + " 'many'" + System.lineSeparator());
    err.reset();
    assertThat(audit("--images", "x", "--model", dir.resolve("missing.onnx").toString(), "--out", "o")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("drift4j audit: ").contains("missing.onnx");
  }

  @Test
  void withoutArgumentsItPrintsTheOptions() {
    assertThat(audit()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--images PATH", "--group-by COLS", "--out DIR");
  }
}
