package org.drift4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.drift4j.ImageBatch;
import org.drift4j.examples.RealMnist;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.LabeledImages;
import org.drift4j.examples.data.NotMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code power --monitor}, end to end on real MNIST digits with a small, quickly trained model. */
class PowerMonitorCliTest {

  @TempDir
  static Path dir;

  static Path model;
  static Path clean;
  static Path letters;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Drift4jCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void trainASmallModel() throws IOException {
    LabeledImages mnist = RealMnist.digits();
    List<Integer> order = new ArrayList<>(IntStream.range(0, mnist.size()).boxed().toList());
    Collections.shuffle(order, new Random(2));
    int[] slice = order.stream().limit(1_500).mapToInt(Integer::intValue).toArray();
    ImageBatch training = mnist.images().select(java.util.Arrays.copyOfRange(slice, 0, 700));
    Idx.writeImages(training, dir.resolve("train-images-idx3-ubyte.gz"));
    clean = dir.resolve("clean-images-idx3-ubyte.gz");
    Idx.writeImages(mnist.images().select(java.util.Arrays.copyOfRange(slice, 700, 1_500)), clean);
    letters = dir.resolve("letters-images-idx3-ubyte.gz");
    Idx.writeImages(NotMnist.generate(100, 3).images(), letters);
    model = dir.resolve("model");
    Run train = run("train", "--images", dir.resolve("train-images-idx3-ubyte.gz").toString(), "--out", model.toString(),
        "--epochs", "2", "--batch-size", "64", "--seed", "5");
    assertThat(train.status()).as(train.err()).isZero();
  }

  @Test
  void quickWritesTheTablesAndMonitorJsonWithEveryDetectorAndShift() throws IOException {
    Path out = dir.resolve("power");
    Run power = run("power", "--monitor", "--quick", "--model", model.toString(), "--images", clean.toString(),
        "--foreign", letters.toString(), "--baseline-size", "300", "--out", out.toString());
    assertThat(power.status()).as(power.err()).isZero();
    assertThat(power.out()).contains("| 100 | **DriftMonitor** | 20 |").contains("| 300 | CvM W=100 |")
        .contains("Detection delay at ERT 300, requests of 1 image:")
        .contains("Detection delay at ERT 300, requests of 32 images:").contains("| thick 3×3 |").contains("| 10% foreign images |")
        .contains("JSON: " + out.resolve("monitor.json"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("monitor.json").toFile());
    assertThat(json.path("baselineSize").asInt()).isEqualTo(300);
    assertThat(json.path("poolSize").asInt()).isEqualTo(500);
    assertThat(json.path("calibrations").size()).isEqualTo(2);
    assertThat(json.path("calibrations").get(0).path("threshold").asDouble()).isPositive();
    // the monitor at the default confidence and at 0.5, then 4 comparators at ERT 100 and 5 at 300
    assertThat(json.path("clean").size()).isEqualTo(7 + 8);
    // 14 scenarios (the control, 13 shifts) for 7 detectors at ERT 100 and 8 at 300, requests of 1 and 32
    assertThat(json.path("delays").size()).isEqualTo(14 * 15 * 2);
    assertThat(json.path("profiles").size()).isEqualTo(14);
    assertThat(json.path("profiles").get(0).path("deciles").size()).isEqualTo(10);
    for (JsonNode d : json.path("delays")) {
      if (d.path("detector").asText().equals("DriftMonitor") && d.path("scenario").asText().equals("noise 0.5")
          && d.path("requestSize").asInt() == 1) {
        assertThat(d.path("median").asDouble()).isLessThan(10);
      }
    }
  }

  @Test
  void tooFewImagesForTheBaselineAreAUsageError() {
    Run power = run("power", "--monitor", "--quick", "--model", model.toString(), "--images", clean.toString(),
        "--baseline-size", "750", "--out", dir.resolve("few").toString());
    assertThat(power.status()).isEqualTo(2);
    assertThat(power.err()).contains("--images must hold at least 850 images (a baseline of 750 and 100 or more to"
        + " draw streams from), but held 800");
  }
}
