package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.IncompatibleBaselineException;
import org.drift4j.ReconstructionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class Dl4jAutoencoderTest {

  @TempDir
  Path dir;

  @Test
  void aSavedModelLoadsWithIdenticalReconstructionsAndInfo() throws IOException {
    Dl4jAutoencoder ae = TinyModels.trained().autoencoder();
    Path file = dir.resolve("m/model.zip");
    ae.save(file);
    Dl4jAutoencoder loaded = Dl4jAutoencoder.load(file);
    ImageBatch batch = TinyModels.blobs(20, 11);
    assertThat(loaded.reconstruct(batch)).isDeepEqualTo(ae.reconstruct(batch));
    assertThat(loaded.fingerprint()).isEqualTo(ae.fingerprint()).startsWith("sha256:");
    assertThat(loaded.info()).isEqualTo(ae.info());
    assertThat(loaded.encode(batch)).isPresent();
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aModelReadFromAStreamOrUrlHasTheFilesChecksAndFingerprint() throws IOException {
    Dl4jAutoencoder ae = TinyModels.trained().autoencoder();
    Path file = dir.resolve("model.zip");
    ae.save(file);
    Dl4jAutoencoder fromUrl = Dl4jAutoencoder.load(file.toUri().toURL(), Dl4jConfig.ofDefaults());
    ImageBatch batch = TinyModels.blobs(8, 12);
    assertThat(fromUrl.reconstruct(batch)).isDeepEqualTo(ae.reconstruct(batch));
    assertThat(fromUrl.fingerprint()).isEqualTo(ae.fingerprint());
    byte[] bytes = Files.readAllBytes(file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      assertThat(Dl4jAutoencoder.load(in, "classpath:model.zip", Dl4jConfig.ofDefaults()).info()).isEqualTo(ae.info());
      assertThat(in.read()).as("the stream is left open").isEqualTo(-1);
    }
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> Dl4jAutoencoder.load(new ByteArrayInputStream(truncated), "classpath:model.zip",
        Dl4jConfig.ofDefaults()))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessageStartingWith("classpath:model.zip: ")
        .hasMessageContaining("corrupt");
  }

  @Test
  void aModelTrainedAsNativeOpsIsStoredAsOneTrainedByDl4j() throws IOException {
    ImageBatch images = TinyModels.blobs(80, 12);
    Dl4jTrainer.Builder trainer = TinyModels.trainer().epochs(1).clock(java.time.Clock.fixed(java.time.Instant.EPOCH,
        java.time.ZoneOffset.UTC));
    Dl4jAutoencoder planned = trainer.trainingPlan(true).build().train(images).autoencoder();
    Dl4jAutoencoder dl4j = trainer.trainingPlan(false).build().train(images).autoencoder();
    Path a = dir.resolve("planned.zip");
    Path b = dir.resolve("dl4j.zip");
    planned.save(a);
    dl4j.save(b);
    assertThat(zipEntries(a)).isEqualTo(zipEntries(b));
    assertThat(planned.multiLayerNetwork().getLayerWiseConfigurations().toJson())
        .isEqualTo(dl4j.multiLayerNetwork().getLayerWiseConfigurations().toJson());
    Dl4jModelInfo p = Dl4jAutoencoder.load(a).info();
    Dl4jModelInfo d = Dl4jAutoencoder.load(b).info();
    assertThat(p.fingerprint()).isEqualTo(planned.fingerprint());
    assertThat(p).usingRecursiveComparison().ignoringFields("fingerprint", "training.backend", "training.bestValidationError")
        .isEqualTo(d);
    assertThat(Dl4jOnnxExporter.export(Dl4jAutoencoder.load(a))).isNotEmpty();
  }

  private static java.util.List<String> zipEntries(Path file) throws IOException {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      return zip.stream().map(ZipEntry::getName).sorted().toList();
    }
  }

  @Test
  void aTruncatedFileIsRefusedAsCorrupt() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
  }

  @Test
  void aFileThatIsNotOursIsRefused() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> Dl4jAutoencoder.load(text))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessage(text + ": not a Drift4j DL4J model: not a zip file, or an empty one");
    Path zip = dir.resolve("other.zip");
    try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
      z.putNextEntry(new ZipEntry("configuration.json"));
      z.write("{}".getBytes());
      z.closeEntry();
    }
    assertThatThrownBy(() -> Dl4jAutoencoder.load(zip))
        .hasMessage(zip + ": not a Drift4j DL4J model: entry configuration.json is none of drift4j-model.json, network.zip,"
            + " the only entries it may hold");
  }

  @Test
  void aFutureVersionIsRefused() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    rewriteInfo(file, s -> s.replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 9"));
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .hasMessage(file + ": schemaVersion 9 is not supported (this library reads 1 to 1; upgrade Drift4j for newer files)");
  }

  @Test
  void aNetworkThatDoesNotMatchItsFingerprintIsRefused() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    rewriteInfo(file, s -> s.replaceFirst("sha256:[0-9a-f]{6}", "sha256:000000"));
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessageContaining("does not match the recorded sha256:000000");
  }

  @Test
  void aBaselineOfAnotherModelIsRefusedByTheDetector() {
    Dl4jAutoencoder ae = TinyModels.trained().autoencoder();
    Dl4jAutoencoder other = TinyModels.trainer().epochs(1).seed(99).build().train(TinyModels.blobs(60, 2)).autoencoder();
    Baseline baseline = Baseline.compute(other, TinyModels.blobs(40, 3), ReconstructionError.BINARY_CROSS_ENTROPY);
    assertThatThrownBy(() -> DriftDetector.builder(ae, baseline).build())
        .isInstanceOf(IncompatibleBaselineException.class)
        .hasMessageContaining("baseline was computed with autoencoder " + other.fingerprint());
  }

  @Test
  void aBatchOfAnotherShapeIsRefused() {
    Dl4jAutoencoder ae = TinyModels.trained().autoencoder();
    assertThatThrownBy(() -> ae.reconstruct(ImageBatch.ofFlat(ImageShape.grey(28, 28), new float[784])))
        .hasMessage("batch shape must be 1x12x12 (the model's input shape), but was 1x28x28");
  }

  @Test
  void chunksHoldAsManyImagesAsTheMemoryBudgetPaysForAndErrorsComeChunkByChunk() throws IOException {
    Path file = dir.resolve("model.zip");
    Dl4jAutoencoder trained = TinyModels.trained().autoencoder();
    trained.save(file);
    long perImage = Networks.bytesPerImage(trained.multiLayerNetwork(), TinyModels.SHAPE, CNN2DFormat.NHWC);
    assertThat(trained.chunkImages()).as("12x12 images: the image cap binds").isEqualTo(Dl4jConfig.DEFAULT_MAX_CHUNK_IMAGES);
    try (Dl4jAutoencoder ae = Dl4jAutoencoder.load(file, Dl4jConfig.custom().maxChunkBytes(7 * perImage + 1).build())) {
      assertThat(ae.chunkImages()).as("what one image costs is measured on the sub-pixel network it runs, which is"
          + " smaller than the network as written").isBetween(7, 9);
      ImageBatch big = TinyModels.blobs(40, 13);
      assertThat(Networks.maxDifference(ae.reconstruct(big), trained.reconstruct(big))).isLessThan(1e-6);
      for (ReconstructionError measure : ReconstructionError.values()) {
        double[] chunked = ae.errors(big, measure);
        double[] whole = measure.errors(big, trained.reconstruct(big));
        for (int i = 0; i < whole.length; i++) {
          assertThat(chunked[i]).as("%s image %d", measure, i).isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-6));
        }
      }
    }
  }

  @Test
  void aModelOneOfWhoseImagesExceedsTheBudgetIsRefusedNamingTheBudgetAndWhatTheImageNeeds() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file, Dl4jConfig.custom().maxChunkBytes(1_000).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("one image of 1x12x12 needs ")
        .hasMessageContaining("more than maxChunkBytes 1000; raise maxChunkBytes to at least ");
    assertThatThrownBy(() -> Dl4jConfig.custom().maxChunkBytes(0)).hasMessage("maxChunkBytes must be at least 1, but was 0");
  }

  @Test
  void largeBatchesAreScoredInChunksWithTheSameResult() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    try (Dl4jAutoencoder ae = Dl4jAutoencoder.load(file, Dl4jConfig.custom().maxChunkImages(16).build())) {
      ImageBatch big = TinyModels.blobs(16 * 3 + 5, 12);
      float[][] all = ae.reconstruct(big);
      float[][] tail = ae.reconstruct(big.slice(48, big.size()));
      assertThat(all.length).isEqualTo(big.size());
      for (int i = 0; i < tail.length; i++) {
        assertThat(all[48 + i]).containsExactly(tail[i], org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void aWrappedNetworkMustRebuildItsInputShape() {
    MultiLayerNetwork shrinking = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(ConvolutionMode.Truncate).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(12, 12, 1)).build());
    shrinking.init();
    assertThatThrownBy(() -> Dl4jAutoencoder.wrap(shrinking, TinyModels.SHAPE))
        .hasMessage("network output shape must equal its input shape [1, 1, 12, 12] to serve as an autoencoder,"
            + " but was [1, 1, 10, 10]");
  }

  @Test
  void aComputationGraphCanBeWrappedSavedAndLoaded() throws IOException {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).convolutionMode(ConvolutionMode.Same)
        .graphBuilder().addInputs("in")
        .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
        .addLayer("out", new ConvolutionLayer.Builder(3, 3).nOut(1).activation(Activation.SIGMOID).build(), "conv")
        .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build(), "out")
        .setOutputs("loss")
        .setInputTypes(InputType.convolutional(12, 12, 1)).build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    Dl4jAutoencoder ae = Dl4jAutoencoder.wrap(graph, TinyModels.SHAPE, CNN2DFormat.NCHW, Dl4jConfig.ofDefaults());
    ImageBatch batch = TinyModels.blobs(5, 1);
    float[][] out = ae.reconstruct(batch);
    assertThat(out.length).isEqualTo(5);
    assertThat(ae.encode(batch)).isEmpty();
    Path file = dir.resolve("graph.zip");
    ae.save(file);
    assertThat(Dl4jAutoencoder.load(file).reconstruct(batch)).isDeepEqualTo(out);
  }

  @Test
  void aClosedModelRefusesWork() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    Dl4jAutoencoder ae = Dl4jAutoencoder.load(file, Dl4jConfig.custom().concurrency(1).build());
    assertThat(ae.config().concurrency()).isEqualTo(1);
    ae.close();
    assertThatThrownBy(() -> ae.reconstruct(TinyModels.blobs(1, 1))).hasMessage("this Dl4jAutoencoder is closed");
    assertThatThrownBy(() -> Dl4jConfig.custom().concurrency(0)).hasMessage("concurrency must be at least 1, but was 0");
    assertThatThrownBy(() -> Dl4jConfig.custom().maxChunkImages(0))
        .hasMessage("maxChunkImages must be at least 1, but was 0");
  }

  /**
   * Closing while three threads reconstruct batches of 300 in a loop: the calls in flight finish
   * with the right reconstructions, the later ones fail with the closed message, and every network
   * copy and its kept arrays are freed (before, close() only emptied the pool: the copies' native
   * memory stayed until the garbage collector got to them, which for off-heap arrays may be never).
   */
  @Test
  void closingUnderLoadWaitsForTheCallsInFlightThenFreesEveryCopy() throws Exception {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    Dl4jAutoencoder ae = Dl4jAutoencoder.load(file, Dl4jConfig.custom().concurrency(2).maxChunkImages(64).build());
    ImageBatch batch = TinyModels.blobs(300, 5);
    float[][] expected = ae.reconstruct(batch);
    java.util.concurrent.ConcurrentLinkedQueue<Throwable> unexpected = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    java.util.List<Thread> callers = new java.util.ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread caller = new Thread(() -> {
        while (true) {
          try {
            float[][] out = ae.reconstruct(batch);
            if (!java.util.Arrays.deepEquals(out, expected)) {
              unexpected.add(new AssertionError("a call in flight returned other reconstructions"));
            }
            completed.incrementAndGet();
          } catch (IllegalStateException e) {
            if (!"this Dl4jAutoencoder is closed".equals(e.getMessage())) {
              unexpected.add(e);
            }
            refused.incrementAndGet();
            return;
          } catch (Throwable e) {
            unexpected.add(e);
            return;
          }
        }
      });
      callers.add(caller);
      caller.start();
    }
    Thread.sleep(500);
    ae.close();
    for (Thread caller : callers) {
      caller.join(60_000);
    }
    assertThat(unexpected).isEmpty();
    assertThat(completed.get()).isPositive();
    assertThat(refused.get()).isEqualTo(3);
    for (NetworkPool.Slot slot : ae.pool().slots()) {
      assertThat(slot.net().params().wasClosed()).as("a copy's parameters were freed").isTrue();
      if (slot.plan() != null) {
        assertThat(slot.plan().kept()).as("a copy's kept arrays were freed").isEmpty();
      }
    }
    assertThatThrownBy(() -> ae.save(dir.resolve("again.zip"))).hasMessage("this Dl4jAutoencoder is closed");
    assertThatThrownBy(ae::multiLayerNetwork).hasMessage("this Dl4jAutoencoder is closed");
    ae.close();
  }

  @Test
  void aWrappedNetworkStaysTheCallersAndIsNeverRunOrChanged() {
    MultiLayerNetwork net = TinyModels.trained().autoencoder().multiLayerNetwork();
    org.nd4j.linalg.api.ndarray.INDArray before = net.params().dup();
    Dl4jAutoencoder ae = Dl4jAutoencoder.wrap(net, TinyModels.SHAPE, TinyModels.ARCHITECTURE.inferenceFormat(),
        Dl4jConfig.ofDefaults());
    ae.reconstruct(TinyModels.blobs(3, 4));
    assertThat(net.params()).isEqualTo(before);
    assertThat(net.getLayer(0).getHelper()).as("no helper was put into the caller's network").isNull();
  }

  private static void rewriteInfo(Path file, java.util.function.UnaryOperator<String> edit) throws IOException {
    java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(file))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    entries.put(Dl4jModelFile.INFO_ENTRY, edit.apply(new String(entries.get(Dl4jModelFile.INFO_ENTRY))).getBytes());
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
      for (var entry : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(entry.getKey()));
        z.write(entry.getValue());
        z.closeEntry();
      }
    }
  }
}
