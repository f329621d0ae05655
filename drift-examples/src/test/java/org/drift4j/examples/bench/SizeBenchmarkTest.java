package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizeBenchmarkTest {

  private static final Path SCRIPT = Path.of("../scripts/pytorch_reference.py");

  @TempDir
  Path dir;

  private SizeBenchmark.Settings settings(String python, boolean required) {
    return new SizeBenchmark.Settings(List.of(ImageShape.grey(16, 16)), 64, 16, 2, 64, 0.2, python, SCRIPT, required,
        dir.resolve("out"));
  }

  @Test
  void sizesAreParsedInOrder() {
    assertThat(SizeBenchmark.parseSizes("3x32x32, 1x128x128"))
        .containsExactly(new ImageShape(3, 32, 32), new ImageShape(1, 128, 128));
  }

  @Test
  void aSizeThatIsNotThreePositiveIntegersIsRefusedNamingTheOptionAndValue() {
    for (String bad : new String[] {"3x32", "0x32x32", "3x-4x32", "axbxc", "3x32x32x1", ""}) {
      assertThatThrownBy(() -> SizeBenchmark.parseSizes("3x64x64," + bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--sizes: each size must be CxHxW with positive integers (such as 3x32x32), but was '" + bad
              + "' in '3x64x64," + bad + "'");
    }
  }

  @Test
  void sidesNotDivisibleByFourAreRefused() {
    assertThatThrownBy(() -> SizeBenchmark.parseSizes("3x30x32")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--sizes: height and width must be divisible by 4 (the autoencoder pools twice), but 3x30x32 has"
            + " 30x32");
  }

  @Test
  void tooFewImagesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> new SizeBenchmark.Settings(List.of(ImageShape.grey(16, 16)), 31, 16, 1, 64, 1, "python3",
        SCRIPT, false, dir)).hasMessage("--size-training-images must be at least 32 with --sizes, but was 31");
    assertThatThrownBy(() -> new SizeBenchmark.Settings(List.of(ImageShape.grey(16, 16)), 64, 16, 1, 0, 1, "python3",
        SCRIPT, false, dir)).hasMessage("--memory-images must be at least 32 with --sizes, but was 0");
    assertThatThrownBy(() -> new SizeBenchmark.Settings(List.of(ImageShape.grey(16, 16)), 64, 16, 0, 64, 1, "python3",
        SCRIPT, false, dir)).hasMessage("--training-repeats must be at least 1 with --sizes, but was 0");
  }

  @Test
  void aNamedPythonThatCannotRunFailsBeforeAnythingIsMeasured() {
    String missing = dir.resolve("no-python").toString();
    assertThatThrownBy(() -> new SizeBenchmark(settings(missing, true), quiet()).run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("--python " + missing + " with --script " + SCRIPT
            + " cannot run the PyTorch reference: could not run " + missing)
        .hasMessageContaining("apt-get install python3-torch");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aDefaultPythonThatCannotRunIsReportedAsTheReasonToSkip() throws Exception {
    String missing = dir.resolve("no-python").toString();
    assertThat(new SizeBenchmark(settings(missing, false), quiet()).pytorchProblem())
        .startsWith("could not run " + missing);
    SizeBenchmark.Settings noScript = new SizeBenchmark.Settings(List.of(ImageShape.grey(16, 16)), 64, 16, 1, 64, 1,
        "/usr/bin/python3", dir.resolve("none.py"), false, dir);
    assertThat(new SizeBenchmark(noScript, quiet()).pytorchProblem()).isEqualTo("script not found: "
        + dir.resolve("none.py"));
  }

  /** Two child JVMs and the PyTorch reference at 1x16x16; checks fields are there, never how fast. */
  @Test
  void aTinyRunProducesEveryFieldAndWritesTheJson() throws Exception {
    JsonNode r = new SizeBenchmark(settings("/usr/bin/python3", true), quiet()).run();
    assertThat(r.has("pytorchSkipped")).as(r.toString()).isFalse();
    JsonNode size = r.path("sizes").get(0);
    assertThat(size.path("shape").asText()).isEqualTo("1x16x16");
    assertThat(size.path("train").path("imagesPerSecond").asDouble()).as(size.toString()).isPositive();
    for (String engine : new String[] {"onnx", "dl4j"}) {
      JsonNode e = size.path("score").path(engine);
      assertThat(e.path("reconstructImagesPerSecondBatch32").asDouble()).as(size.toString()).isPositive();
      assertThat(e.path("checked").asInt()).isEqualTo(64);
      assertThat(e.path("peakHeapBytes").asLong()).isPositive();
      assertThat(e.path("peakRssDuringCheckBytes").asLong()).isPositive();
    }
    assertThat(size.path("score").path("maxHeapBytes").asLong()).isLessThanOrEqualTo(512L << 20);
    JsonNode torch = size.path("pytorch");
    assertThat(torch.path("shape").asText()).as(torch.toString()).isEqualTo("1x16x16");
    assertThat(torch.path("trainingImagesPerSecond").asDouble()).isPositive();
    assertThat(torch.path("inferenceImagesPerSecond").path("32").asDouble()).isPositive();
    JsonNode training = size.path("training");
    assertThat(training.path("dl4j")).as(training.toString()).hasSize(2);
    assertThat(training.path("pytorch")).hasSize(2);
    assertThat(training.path("dl4j").get(0).asDouble()).isEqualTo(size.path("train").path("imagesPerSecond").asDouble());
    assertThat(training.path("pytorch").get(0).asDouble()).isEqualTo(torch.path("trainingImagesPerSecond").asDouble());
    for (JsonNode rate : training.path("dl4j")) {
      assertThat(rate.asDouble()).isPositive();
    }
    for (JsonNode rate : training.path("pytorch")) {
      assertThat(rate.asDouble()).isPositive();
    }
    assertThat(training.path("ratioOfMedians").asDouble()).isCloseTo(
        training.path("dl4jMedian").asDouble() / training.path("pytorchMedian").asDouble(), within(1e-12));
    assertThat(new ObjectMapper().readTree(Files.readString(dir.resolve("out/bench.json"))).toString())
        .isEqualTo(r.toString());
    assertThat(SizeBenchTable.of(r)).contains("| 1x16x16 | ").doesNotContain("failed").doesNotContain("n/a");
  }

  @Test
  void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
    assertThat(SizeBenchmark.median(List.of(900.0, 300.0, 2000.0))).isEqualTo(900.0);
    assertThat(SizeBenchmark.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(SizeBenchmark.median(List.of(7.0))).isEqualTo(7.0);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
