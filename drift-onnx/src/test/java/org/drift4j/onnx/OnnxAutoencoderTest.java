package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxAutoencoderTest {

  @TempDir
  Path dir;

  @Test
  void aPyTorchExportReconstructsAsPyTorchDid() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(Fixtures.resource("pytorch-autoencoder.expected.json").toFile());
    float[][] images = new float[2][784];
    for (int i = 0; i < 2; i++) {
      for (int p = 0; p < 784; p++) {
        images[i][p] = ((7 * p + 13 * i) % 256) / 255f;
      }
    }
    try (OnnxAutoencoder onnx = Fixtures.pytorch()) {
      assertThat(onnx.inputShape()).isEqualTo(ImageShape.grey(28, 28));
      assertThat(onnx.fingerprint()).startsWith("onnx-sha256:").hasSize("onnx-sha256:".length() + 64);
      float[][] out = onnx.reconstruct(ImageBatch.of(ImageShape.grey(28, 28), images));
      for (int i = 0; i < 2; i++) {
        for (int p = 0; p < 784; p++) {
          assertThat((double) out[i][p]).isCloseTo(expected.get("reconstructions").get(i).get(p).asDouble(),
              org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void aFileThatIsNotOnnxIsRefused() throws IOException {
    Path text = dir.resolve("model.onnx");
    Files.writeString(text, "not a model");
    assertThatThrownBy(() -> OnnxAutoencoder.load(text))
        .isInstanceOf(OnnxModelException.class)
        .hasMessageStartingWith(text + ": not a valid ONNX model: ");
  }

  @Test
  void aModelWithoutAnImageInputIsRefused() {
    Path file = Fixtures.resource("not-an-image-model.onnx");
    assertThatThrownBy(() -> OnnxAutoencoder.load(file))
        .isInstanceOf(OnnxModelException.class)
        .hasMessage(file + ": model input must have shape [N, C, H, W] with fixed C, H, W, but had [-1, 4]");
  }

  @Test
  void aModelWhoseOutputShapeDiffersIsRefused() {
    Path file = Fixtures.resource("shrinking-model.onnx");
    assertThatThrownBy(() -> OnnxAutoencoder.load(file))
        .isInstanceOf(OnnxModelException.class)
        .hasMessage(file + ": model output shape must equal its input shape [-1, 1, 28, 28], but was [-1, 1, 26, 26]");
  }

  @Test
  void aBatchOfAnotherShapeIsRefused() {
    try (OnnxAutoencoder onnx = Fixtures.pytorch()) {
      assertThatThrownBy(() -> onnx.reconstruct(ImageBatch.ofFlat(ImageShape.grey(14, 14), new float[196])))
          .hasMessage("batch shape must be 1x28x28 (the model's input shape), but was 1x14x14");
    }
  }

  @Test
  void largeBatchesAreScoredInChunks() {
    try (OnnxAutoencoder onnx = Fixtures.pytorch()) {
      ImageBatch big = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), OnnxConfig.DEFAULT_MAX_CHUNK_IMAGES + 10, 4);
      float[][] all = onnx.reconstruct(big);
      float[][] tail = onnx.reconstruct(big.slice(OnnxConfig.DEFAULT_MAX_CHUNK_IMAGES, big.size()));
      assertThat(all[OnnxConfig.DEFAULT_MAX_CHUNK_IMAGES + 9]).containsExactly(tail[9]);
    }
  }

  @Test
  void chunksAreSizedByTheBudgetFromWhatTheModelSaysAnImageCostsOrAnAssumption() throws OnnxModelException {
    byte[] export = org.drift4j.dl4j.Dl4jOnnxExporter.export(Fixtures.dl4j());
    try (OnnxAutoencoder exported = OnnxAutoencoder.fromBytes(export, OnnxConfig.custom().maxChunkBytes(1L << 20).build());
        OnnxAutoencoder pytorch = Fixtures.pytorch(OnnxConfig.custom().maxChunkBytes(1L << 20).build())) {
      // the export says what an image takes (8 filters: about 20,000 values); PyTorch's fixture does not
      assertThat(exported.slicer().chunkImages()).isBetween(10, 14);
      long assumed = Float.BYTES * (OnnxConfig.ASSUMED_ACTIVATIONS_PER_INPUT_VALUE + 3L) * 784;
      assertThat(pytorch.slicer().chunkImages()).isEqualTo((int) ((1L << 20) / assumed));
      ImageBatch batch = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), 30, 6);
      try (OnnxAutoencoder whole = Fixtures.pytorch()) {
        assertThat(pytorch.reconstruct(batch)).isDeepEqualTo(whole.reconstruct(batch));
      }
    }
  }

  @Test
  void aModelWhoseMetadataSaysOneImageExceedsTheBudgetIsRefusedNamingIt() throws OnnxModelException {
    byte[] export = org.drift4j.dl4j.Dl4jOnnxExporter.export(Fixtures.dl4j());
    OnnxConfig tiny = OnnxConfig.custom().maxChunkBytes(10_000).build();
    assertThatThrownBy(() -> OnnxAutoencoder.fromBytes(export, tiny))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("one image of 1x28x28 needs ")
        .hasMessageContaining("bytes of activations and copies, more than maxChunkBytes 10000; raise maxChunkBytes");
    assertThatThrownBy(() -> OnnxConfig.custom().maxChunkBytes(0)).hasMessage("maxChunkBytes must be at least 1, but was 0");
  }

  @Test
  void aModelThatDoesNotSayWhatAnImageCostsGetsChunksOfAtLeastOneImage() {
    // the assumption is not a measurement, so it does not refuse a model
    try (OnnxAutoencoder pytorch = Fixtures.pytorch(OnnxConfig.custom().maxChunkBytes(10_000).build())) {
      assertThat(pytorch.slicer().chunkImages()).isEqualTo(1);
      ImageBatch batch = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), 3, 6);
      assertThat(pytorch.reconstruct(batch)).hasNumberOfRows(3);
    }
  }

  @Test
  void aClosedModelRefusesWorkAndBadOptionsAreNamed() {
    OnnxAutoencoder onnx = Fixtures.pytorch();
    onnx.close();
    onnx.close();
    assertThatThrownBy(() -> onnx.reconstruct(ImageBatch.ofFlat(ImageShape.grey(28, 28), new float[784])))
        .hasMessage("this OnnxAutoencoder is closed");
    assertThatThrownBy(() -> OnnxConfig.custom().threads(0)).hasMessage("threads must be at least 1, but was 0");
    assertThatThrownBy(() -> OnnxConfig.custom().maxChunkImages(0)).hasMessage("maxChunkImages must be at least 1, but was 0");
    assertThatThrownBy(() -> OnnxConfig.custom().minSliceValues(0)).hasMessage("minSliceValues must be at least 1, but was 0");
  }

  /**
   * Closing while {@code check} runs in a loop on another thread. Before the call gate, close()
   * closed the ONNX Runtime sessions at once (OrtSession.close frees the native session) while
   * the other thread was inside OrtSession.run on them, which then read freed native memory: the
   * JVM died with SIGSEGV. Now the check in flight finishes with the right errors and the next
   * one is refused.
   */
  @Test
  void closingWhileCheckRunsInALoopLetsTheCheckInFlightFinishAndRefusesTheNext() throws Exception {
    OnnxAutoencoder onnx = Fixtures.pytorch(OnnxConfig.custom().threads(2).build());
    ImageBatch batch = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), 300, 9);
    org.drift4j.Baseline baseline = org.drift4j.Baseline.compute(onnx,
        org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), 100, 10), ReconstructionError.BINARY_CROSS_ENTROPY);
    org.drift4j.DriftDetector detector = org.drift4j.DriftDetector.builder(onnx, baseline).build();
    double[] expected = detector.check(batch).errors();
    java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
    Thread loop = new Thread(() -> {
      try {
        while (true) {
          if (!java.util.Arrays.equals(detector.check(batch).errors(), expected)) {
            wrong.set("a check returned other errors");
          }
          completed.incrementAndGet();
        }
      } catch (Throwable t) {
        ended.set(t);
      }
    });
    loop.start();
    Thread.sleep(500);
    onnx.close();
    loop.join(30_000);
    assertThat(loop.isAlive()).isFalse();
    assertThat(wrong.get()).isNull();
    assertThat(completed.get()).as("checks completed before the close").isPositive();
    assertThat(ended.get()).isInstanceOf(IllegalStateException.class).hasMessage("this OnnxAutoencoder is closed");
    assertThatThrownBy(() -> detector.check(batch)).hasMessage("this OnnxAutoencoder is closed");
  }

  @Test
  void errorsOfEitherPathMatchJavaForEveryMeasureOnLargeBatches() {
    for (boolean vector : new boolean[] {true, false}) {
      try (OnnxAutoencoder onnx = Fixtures.pytorch(OnnxConfig.custom().threads(2).vectorErrors(vector).build())) {
        assertThat(onnx.usesVectorApi()).isEqualTo(vector);
        largeBatchesMatchJava(onnx);
      }
    }
  }

  private static void largeBatchesMatchJava(OnnxAutoencoder onnx) {
    ImageBatch big = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), OnnxConfig.DEFAULT_MAX_CHUNK_IMAGES + 10, 5);
    float[][] rows = onnx.reconstruct(big);
    for (ReconstructionError measure : ReconstructionError.values()) {
      assertThat(onnx.computesErrorsNatively(measure)).as("%s", measure).isTrue();
      double[] expected = measure.errors(big, rows);
      double[] actual = onnx.errors(big, measure);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).as("%s image %d", measure, i).isCloseTo(expected[i], within(1e-5 * expected[i]));
      }
    }
  }

  @Test
  void everyWayOfRunningABatchGivesTheSameErrors() {
    try (OnnxAutoencoder onnx = Fixtures.pytorch(OnnxConfig.custom().threads(2).build());
        OnnxAutoencoder oneThread = Fixtures.pytorch(OnnxConfig.custom().threads(1).build())) {
      ImageBatch batch = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), 9, 6);
      // 2 threads, slices of at least 1,024 values: from 3 images two slices at once; fewer on the calling thread
      assertThat(onnx.slicer().slices(9)).isEqualTo(2);
      assertThat(onnx.slicer().slices(3)).isEqualTo(2);
      assertThat(onnx.slicer().slices(2)).isEqualTo(1);
      assertThat(oneThread.slicer().slices(9)).isEqualTo(1);
      float[][] rows = onnx.reconstruct(batch);
      assertThat(oneThread.reconstruct(batch)).isDeepEqualTo(rows);
      for (ReconstructionError measure : ReconstructionError.values()) {
        double[] together = onnx.errors(batch, measure);
        assertThat(oneThread.errors(batch, measure)).as("%s", measure).containsExactly(together, within(1e-6 * together[0]));
        for (int i = 0; i < batch.size(); i++) {
          double alone = onnx.errors(batch.slice(i, i + 1), measure)[0];
          assertThat(alone).as("%s image %d", measure, i).isCloseTo(together[i], within(1e-6 * together[i]));
          assertThat(onnx.reconstruct(batch.slice(i, i + 1))[0]).isEqualTo(rows[i]);
        }
        double[] four = onnx.errors(batch.slice(3, 7), measure);
        assertThat(four[1]).isCloseTo(together[4], within(1e-6 * together[4]));
      }
    }
  }

  @Test
  void withoutTheVectorApiSmallBatchesGetSquaredAndAbsoluteErrorsFromJava() {
    try (OnnxAutoencoder onnx = Fixtures.pytorch(OnnxConfig.custom().threads(2).vectorErrors(false).build())) {
      ImageBatch small = org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28),
          OnnxAutoencoder.JAVA_MEASURE_MAX_VALUES / 784, 3);
      for (ReconstructionError measure : java.util.List.of(ReconstructionError.MEAN_SQUARED_ERROR,
          ReconstructionError.MEAN_ABSOLUTE_ERROR)) {
        // Java's double loop exactly, where the head would sum in float
        assertThat(onnx.errors(small, measure)).containsExactly(measure.errors(small, onnx.reconstruct(small)));
      }
    }
  }

  @Test
  void aLargeSingleImageRunsOnOnnxRuntimesThreadsAndMatchesSlicedRuns() throws OnnxModelException {
    ImageShape big = ImageShape.grey(128, 128);
    assertThat(big.size()).isGreaterThanOrEqualTo(2 * OnnxConfig.DEFAULT_MIN_SLICE_VALUES);
    try (OnnxAutoencoder sigmoid = OnnxAutoencoder.fromBytes(tinyModel("Sigmoid", 13, big), OnnxConfig.custom().threads(2).build())) {
      ImageBatch batch = org.drift4j.testkit.SyntheticImages.noise(big, 3, 8);
      assertThat(sigmoid.slicer().slices(1)).isEqualTo(1);
      assertThat(sigmoid.slicer().slices(3)).isEqualTo(2);
      double[] sliced = sigmoid.errors(batch, ReconstructionError.BINARY_CROSS_ENTROPY);
      float[][] rows = sigmoid.reconstruct(batch);
      for (int i = 0; i < 3; i++) {
        ImageBatch one = batch.slice(i, i + 1);
        assertThat(sigmoid.reconstruct(one)[0]).isEqualTo(rows[i]);
        assertThat(sigmoid.errors(one, ReconstructionError.BINARY_CROSS_ENTROPY)[0]).isCloseTo(sliced[i], within(1e-6 * sliced[i]));
      }
    }
  }

  @Test
  void helperThreadsStopWhenTheModelIsClosed() throws InterruptedException {
    OnnxAutoencoder onnx = Fixtures.pytorch(OnnxConfig.custom().threads(3).build());
    onnx.errors(org.drift4j.testkit.SyntheticImages.blobs(ImageShape.grey(28, 28), 64, 2),
        ReconstructionError.BINARY_CROSS_ENTROPY);
    assertThat(onnx.slicer().helpers().getPoolSize()).isEqualTo(2);
    onnx.close();
    assertThat(onnx.slicer().helpers().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void saturatedReconstructionsAreClippedAsInJava() throws OnnxModelException {
    for (boolean vector : new boolean[] {true, false}) {
      saturatedReconstructionsAreClippedAsInJava(OnnxConfig.custom().threads(2).vectorErrors(vector).build());
    }
  }

  private static void saturatedReconstructionsAreClippedAsInJava(OnnxConfig options)
      throws OnnxModelException {
    // ceil: every non-black pixel becomes exactly 1, so BCE rests on 1 - (1 - 1e-7), which float cannot hold
    try (OnnxAutoencoder ceil = OnnxAutoencoder.fromBytes(tinyModel("Ceil", 13), options);
        OnnxAutoencoder floor = OnnxAutoencoder.fromBytes(tinyModel("Floor", 13), options)) {
      assertThat(ceil.usesVectorApi()).isEqualTo(options.vectorErrors());
      ImageBatch batch = org.drift4j.testkit.SyntheticImages.noise(ImageShape.grey(4, 4), 3, 4);
      for (OnnxAutoencoder model : java.util.List.of(ceil, floor)) {
        double[] expected = ReconstructionError.BINARY_CROSS_ENTROPY.errors(batch, model.reconstruct(batch));
        double[] actual = model.errors(batch, ReconstructionError.BINARY_CROSS_ENTROPY);
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i]).as("%s image %d", model, i).isCloseTo(expected[i], within(1e-5 * expected[i]));
        }
      }
      assertThat(ceil.reconstruct(batch)[0]).containsOnly(1f);
    }
  }

  @Test
  void aNonFiniteReconstructionFailsAsInJavaThoughClippingWouldHideIt() throws OnnxModelException {
    for (boolean vector : new boolean[] {true, false}) {
      aNonFiniteReconstructionFailsAsInJava(OnnxConfig.custom().threads(2).vectorErrors(vector).build());
    }
  }

  private static void aNonFiniteReconstructionFailsAsInJava(OnnxConfig options) throws OnnxModelException {
    // output = log(input): a black pixel becomes -infinity, which BCE's clipping would turn into 1e-7
    try (OnnxAutoencoder log = OnnxAutoencoder.fromBytes(tinyModel("Log", 13), options)) {
      assertThat(log.usesVectorApi()).isEqualTo(options.vectorErrors());
      float[] pixels = new float[2 * 16];
      java.util.Arrays.fill(pixels, 0.5f);
      pixels[16 + 3] = 0f;
      ImageBatch batch = ImageBatch.ofFlat(ImageShape.grey(4, 4), pixels);
      assertThat(log.computesErrorsNatively(ReconstructionError.BINARY_CROSS_ENTROPY)).isTrue();
      assertThatThrownBy(() -> log.errors(batch, ReconstructionError.BINARY_CROSS_ENTROPY))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("reconstruction of image 1 must be finite, but value 3 was -Infinity; the autoencoder produced an"
              + " invalid output");
      assertThat(log.errors(batch.slice(0, 1), ReconstructionError.MEAN_SQUARED_ERROR)[0])
          .isCloseTo(Math.pow(0.5 - Math.log(0.5), 2), within(1e-6));
    }
  }

  @Test
  void aFailureInAHelpersSliceReachesTheCaller() throws OnnxModelException {
    for (boolean vector : new boolean[] {true, false}) {
      aFailureInAHelpersSliceReachesTheCaller(OnnxConfig.custom().threads(2).vectorErrors(vector).build());
    }
  }

  private static void aFailureInAHelpersSliceReachesTheCaller(OnnxConfig options) throws OnnxModelException {
    ImageShape shape = ImageShape.grey(28, 28);
    try (OnnxAutoencoder log = OnnxAutoencoder.fromBytes(tinyModel("Log", 13, shape), options)) {
      float[] pixels = new float[4 * shape.size()];
      java.util.Arrays.fill(pixels, 0.5f);
      pixels[3 * shape.size() + 7] = 0f; // image 3: in the second slice, scored by a helper
      ImageBatch batch = ImageBatch.ofFlat(shape, pixels);
      assertThat(log.slicer().slices(4)).isEqualTo(2);
      assertThatThrownBy(() -> log.errors(batch, ReconstructionError.BINARY_CROSS_ENTROPY))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("reconstruction of image 3 must be finite, but value 7 was -Infinity; the autoencoder produced an"
              + " invalid output");
      assertThat(log.errors(batch.slice(0, 3), ReconstructionError.BINARY_CROSS_ENTROPY)).hasSize(3);
    }
  }

  @Test
  void aModelTheHeadCannotJoinIsScoredInJava() throws OnnxModelException {
    // opset 6: Sub and Mul do not broadcast, Clip takes no inputs, so the head cannot be added
    try (OnnxAutoencoder old = OnnxAutoencoder.fromBytes(tinyModel("Sigmoid", 6), OnnxConfig.custom().threads(2).vectorErrors(false).build())) {
      ImageBatch batch = org.drift4j.testkit.SyntheticImages.noise(ImageShape.grey(4, 4), 3, 1);
      assertThat(old.computesErrorsNatively(ReconstructionError.BINARY_CROSS_ENTROPY)).isFalse();
      assertThat(old.errors(batch, ReconstructionError.BINARY_CROSS_ENTROPY))
          .containsExactly(ReconstructionError.BINARY_CROSS_ENTROPY.errors(batch, old.reconstruct(batch)));
    }
  }

  private static byte[] tinyModel(String op, int opset) {
    return Fixtures.tinyModel(op, opset, ImageShape.grey(4, 4));
  }

  private static byte[] tinyModel(String op, int opset, ImageShape shape) {
    return Fixtures.tinyModel(op, opset, shape);
  }
}
