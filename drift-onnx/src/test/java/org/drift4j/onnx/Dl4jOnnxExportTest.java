package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftDetector;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.IncompatibleBaselineException;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jBackend;
import org.drift4j.dl4j.Dl4jConfig;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J models exported to ONNX compute the same function on ONNX Runtime. */
class Dl4jOnnxExportTest {

  @TempDir
  Path dir;

  @Test
  void theExportReconstructsAsDl4jWithin1e5OnBlobsAndNoise() throws IOException {
    Dl4jAutoencoder dl4j = Fixtures.dl4j();
    try (OnnxAutoencoder onnx = OnnxAutoencoder.fromBytes(Dl4jOnnxExporter.export(dl4j), OnnxConfig.ofDefaults())) {
      for (ImageBatch images : new ImageBatch[] {SyntheticImages.blobs(Fixtures.MNIST, 40, 9),
          SyntheticImages.noise(Fixtures.MNIST, 40, 10)}) {
        OnnxVerification v = OnnxVerification.compare(dl4j, onnx, images, OnnxVerification.DEFAULT_TOLERANCE);
        assertThat(v.maxAbsDifference()).isLessThanOrEqualTo(1e-5);
        assertThat(v.passed()).isTrue();
      }
    }
  }

  @Test
  void theSubPixelExportComputesTheNetworkAsWrittenInGreyAndColour() throws IOException {
    Dl4jBackend.describe();
    for (ImageShape shape : new ImageShape[] {Fixtures.MNIST, new ImageShape(3, 16, 12)}) {
      MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).list()
          .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
          .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
          .layer(new Upsampling2D.Builder(2).build())
          .layer(new ConvolutionLayer.Builder(3, 3).nOut(shape.channels()).convolutionMode(ConvolutionMode.Same)
              .activation(Activation.SIGMOID).build())
          .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build())
          .setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels())).build());
      net.init();
      byte[] bytes = Dl4jOnnxExporter.export(net, shape, "fp");
      assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("DepthToSpace");
      ImageBatch images = SyntheticImages.noise(shape, 7, 3);
      float[] flat = images.toFlatArray();
      INDArray expected = net.output(Nd4j.create(flat, new long[] {7, shape.channels(), shape.height(), shape.width()}, 'c'), false);
      float[] want = expected.dup('c').data().asFloat();
      try (OnnxAutoencoder onnx = OnnxAutoencoder.fromBytes(bytes, OnnxConfig.ofDefaults())) {
        float[][] got = onnx.reconstruct(images);
        double worst = 0;
        for (int i = 0; i < 7; i++) {
          for (int j = 0; j < shape.size(); j++) {
            worst = Math.max(worst, Math.abs(got[i][j] - want[i * shape.size() + j]));
          }
        }
        assertThat(worst).as("%s", shape).isLessThanOrEqualTo(1e-5);
      }
    }
  }

  @Test
  void aVerifiedExportTakesTheDl4jFingerprintSoItsBaselineApplies() throws IOException {
    Dl4jAutoencoder dl4j = Fixtures.dl4j();
    Path model = dir.resolve("model.onnx");
    byte[] bytes = Dl4jOnnxExporter.export(dl4j);
    Files.write(model, bytes);
    try (OnnxAutoencoder unverified = OnnxAutoencoder.load(model)) {
      assertThat(unverified.fingerprint()).isNotEqualTo(dl4j.fingerprint());
      OnnxVerification.compare(dl4j, unverified, SyntheticImages.blobs(Fixtures.MNIST, 20, 3), 1e-5).writeFor(model);
    }
    Baseline baseline = Baseline.compute(dl4j, SyntheticImages.blobs(Fixtures.MNIST, 100, 4),
        ReconstructionError.BINARY_CROSS_ENTROPY);
    try (OnnxAutoencoder verified = OnnxAutoencoder.load(model)) {
      assertThat(verified.fingerprint()).isEqualTo(dl4j.fingerprint());
      assertThat(verified.verification()).isPresent();
      DriftDetector detector = DriftDetector.builder(verified, baseline).build();
      assertThat(detector.check(SyntheticImages.noise(Fixtures.MNIST, 10, 5)).drift()).isTrue();
    }
    bytes[bytes.length - 1] = (byte) '9'; // edit the model's metadata: the verification no longer applies
    Files.write(model, bytes);
    try (OnnxAutoencoder edited = OnnxAutoencoder.load(model)) {
      assertThat(edited.fingerprint()).startsWith("onnx-sha256:");
      assertThatThrownBy(() -> DriftDetector.builder(edited, baseline).build())
          .isInstanceOf(IncompatibleBaselineException.class);
    }
  }

  @Test
  void fromTheClassPathAVerifiedExportKeepsTheDl4jFingerprintAndBaseline() throws IOException {
    Dl4jAutoencoder dl4j = Fixtures.dl4j();
    Path model = dir.resolve("model.onnx");
    Files.write(model, Dl4jOnnxExporter.export(dl4j));
    try (OnnxAutoencoder onnx = OnnxAutoencoder.load(model)) {
      OnnxVerification.compare(dl4j, onnx, SyntheticImages.blobs(Fixtures.MNIST, 20, 3), 1e-5).writeFor(model);
    }
    Baseline baseline = Baseline.compute(dl4j, SyntheticImages.blobs(Fixtures.MNIST, 100, 4),
        ReconstructionError.BINARY_CROSS_ENTROPY);
    BaselineStore.write(baseline, dir.resolve("baseline.json"));
    dl4j.save(dir.resolve("model.zip"));
    Path jar = dir.resolve("models.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : new String[] {"model.onnx", "model.onnx" + OnnxVerification.SUFFIX, "baseline.json", "model.zip"}) {
        out.putNextEntry(new JarEntry("drift/" + name));
        out.write(Files.readAllBytes(dir.resolve(name)));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("bare/model.onnx"));
      out.write(Files.readAllBytes(model));
      out.closeEntry();
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        OnnxAutoencoder verified = OnnxAutoencoder.load(loader.getResource("drift/model.onnx"), OnnxConfig.ofDefaults());
        OnnxAutoencoder bare = OnnxAutoencoder.load(loader.getResource("bare/model.onnx"), OnnxConfig.ofDefaults())) {
      assertThat(loader.getResource("drift/model.onnx").getProtocol()).isEqualTo("jar");
      Baseline loaded = BaselineStore.read(loader.getResource("drift/baseline.json"));
      assertThat(loaded.id()).isEqualTo(baseline.id());
      assertThat(verified.fingerprint()).isEqualTo(dl4j.fingerprint());
      assertThat(Dl4jAutoencoder.load(loader.getResource("drift/model.zip"), Dl4jConfig.ofDefaults()).fingerprint())
          .isEqualTo(dl4j.fingerprint());
      assertThat(DriftDetector.builder(verified, loaded).build().check(SyntheticImages.noise(Fixtures.MNIST, 10, 5))
          .drift()).isTrue();
      assertThat(bare.fingerprint()).startsWith("onnx-sha256:");
      assertThatThrownBy(() -> DriftDetector.builder(bare, loaded).build())
          .isInstanceOf(IncompatibleBaselineException.class);
      URL missing = new URL(loader.getResource("drift/model.onnx"), "./absent.onnx");
      assertThatThrownBy(() -> OnnxAutoencoder.load(missing, OnnxConfig.ofDefaults()))
          .isInstanceOf(FileNotFoundException.class);
    }
  }

  @Test
  void aFailedComparisonDoesNotPass() throws IOException {
    Dl4jAutoencoder dl4j = Fixtures.dl4j();
    try (OnnxAutoencoder pytorch = Fixtures.pytorch()) {
      OnnxVerification v = OnnxVerification.compare(dl4j, pytorch, SyntheticImages.blobs(Fixtures.MNIST, 5, 1), 1e-5);
      assertThat(v.passed()).isFalse();
      assertThatThrownBy(() -> OnnxAutoencoder.fromBytes(Files.readAllBytes(Fixtures.resource("pytorch-autoencoder.onnx")),
          OnnxConfig.ofDefaults(), v))
          .hasMessageStartingWith("the verification record does not apply to this model: its comparison failed: largest"
              + " difference ");
    }
  }

  @Test
  void layersThatCannotBeExportedAreRefusedByName() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
            .activation(Activation.RELU).build())
        .layer(new BatchNormalization.Builder().build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
            .activation(Activation.SIGMOID).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(28, 28, 1)).build());
    net.init();
    assertThatThrownBy(() -> Dl4jOnnxExporter.export(net, Fixtures.MNIST, "fp"))
        .hasMessage("layer 1 (BatchNormalization) cannot be exported to ONNX: supported: ConvolutionLayer,"
            + " SubsamplingLayer, Upsampling2D, a final CnnLossLayer");
    MultiLayerNetwork tanh = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
            .activation(Activation.TANH).build())
        .setInputType(InputType.convolutional(28, 28, 1)).build());
    tanh.init();
    assertThatThrownBy(() -> Dl4jOnnxExporter.export(tanh, Fixtures.MNIST, "fp"))
        .hasMessage("layer 0 cannot be exported: activation tanh is not supported (relu, sigmoid, identity)");
  }
}
