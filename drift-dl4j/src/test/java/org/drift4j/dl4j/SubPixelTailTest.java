package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SubPixelTailTest {

  @Test
  void theFoldedKernelOnTheSmallImageEqualsTheConvolutionOfTheUpsampledOne() {
    SplittableRandom random = new SplittableRandom(3);
    int nIn = 3;
    int nOut = 2;
    int h = 5;
    int w = 4;
    float[] x = floats(random, nIn * h * w);
    float[] kernel = floats(random, nOut * nIn * 9);
    float[] folded = SubPixelTail.foldKernel(kernel, nOut, nIn);

    // plain Java: nearest 2x upsampling, then a 3x3 convolution with zero padding 1
    float[] up = new float[nIn * 4 * h * w];
    for (int c = 0; c < nIn; c++) {
      for (int y = 0; y < 2 * h; y++) {
        for (int xx = 0; xx < 2 * w; xx++) {
          up[(c * 2 * h + y) * 2 * w + xx] = x[(c * h + y / 2) * w + xx / 2];
        }
      }
    }
    for (int o = 0; o < nOut; o++) {
      for (int y = 0; y < 2 * h; y++) {
        for (int xx = 0; xx < 2 * w; xx++) {
          double expected = conv3x3(up, nIn, 2 * h, 2 * w, kernel, o, y, xx);
          int phase = o * 4 + (y % 2) * 2 + xx % 2;
          double actual = conv3x3(x, nIn, h, w, folded, phase, y / 2, xx / 2);
          assertThat(actual).as("output %d at (%d, %d)", o, y, xx).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void theUnfoldedGradientIsTheFoldsAdjoint() {
    // <fold(w), g> = <w, unfold(g)> for every w and g: unfolding is the fold's transpose
    SplittableRandom random = new SplittableRandom(5);
    int nOut = 3;
    int nIn = 4;
    float[] w = floats(random, nOut * nIn * 9);
    float[] g = floats(random, 4 * nOut * nIn * 9);
    float[] folded = SubPixelTail.foldKernel(w, nOut, nIn);
    float[] unfolded = SubPixelTail.unfoldKernelGradient(g, nOut, nIn);
    double left = 0;
    for (int i = 0; i < g.length; i++) {
      left += (double) folded[i] * g[i];
    }
    double right = 0;
    for (int i = 0; i < w.length; i++) {
      right += (double) w[i] * unfolded[i];
    }
    assertThat(right).isCloseTo(left, org.assertj.core.data.Offset.offset(1e-4));
    assertThatThrownBy(() -> SubPixelTail.unfoldKernelGradient(new float[10], 1, 1))
        .hasMessage("g must hold 4*nOut*nIn*9 = 36 values, but held 10");
  }

  @ParameterizedTest
  @EnumSource(CNN2DFormat.class)
  void phasesAreTheInverseOfRows(CNN2DFormat format) {
    ImageShape shape = new ImageShape(3, 6, 4);
    float[] chw = floats(new SplittableRandom(9), 2 * shape.size());
    Dl4jBackend.describe();
    MultiLayerNetwork net = new MultiLayerNetwork(Dl4jArchitecture.builder(shape).filters(4).build()
        .toConfiguration(new Adam(), 5, format));
    net.init();
    SubPixelTail tail = SubPixelTail.of(net).orElseThrow();
    float[][] rows = tail.toRows(SubPixelTail.toPhases(chw, 2, 3, 6, 4, format), 2, 6, 4);
    for (int i = 0; i < 2; i++) {
      assertThat(rows[i]).containsExactly(java.util.Arrays.copyOfRange(chw, i * shape.size(), (i + 1) * shape.size()));
    }
  }

  @Test
  void aKernelOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> SubPixelTail.foldKernel(new float[10], 1, 1))
        .hasMessage("w must hold nOut*nIn*9 = 9 values, but held 10");
  }

  @ParameterizedTest
  @EnumSource(CNN2DFormat.class)
  void theSubPixelNetworkComputesTheReferenceFunctionInBothLayoutsAndColour(CNN2DFormat format) {
    Dl4jBackend.describe();
    for (ImageShape shape : new ImageShape[] {ImageShape.grey(12, 12), new ImageShape(3, 8, 12)}) {
      MultiLayerNetwork net = new MultiLayerNetwork(Dl4jArchitecture.builder(shape).filters(8, 6).build()
          .toConfiguration(new Adam(), 5, format));
      net.init();
      SubPixelTail tail = SubPixelTail.of(net).orElseThrow();
      assertThat(tail.upsampleIndex()).isEqualTo(7);
      float[] before = net.params().dup().data().asFloat();
      MultiLayerNetwork folded = tail.network(net);

      ImageBatch batch = org.drift4j.testkit.SyntheticImages.noise(shape, 6, 2);
      var input = Networks.toArray(batch, format);
      float[][] expected = Networks.toRows(net.output(input, false), format, 6, shape.size());
      float[][] actual = tail.toRows(folded.output(input, false), 6, shape.height(), shape.width());
      assertThat(Networks.maxDifference(expected, actual)).as("%s %s", shape, format).isLessThan(1e-5);
      assertThat(net.params().data().asFloat()).as("the original network is untouched").containsExactly(before);
      assertThat(net.getLayers()).hasSize(folded.getLayers().length + 1);
    }
  }

  @Test
  void networksWithAnotherTailRunAsWritten() {
    Dl4jBackend.describe();
    MultiLayerNetwork fiveByFive = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
        .layer(new Upsampling2D.Builder(2).build())
        .layer(new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(1).convolutionMode(ConvolutionMode.Same)
            .activation(Activation.SIGMOID).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(8, 8, 1)).build());
    fiveByFive.init();
    assertThat(SubPixelTail.of(fiveByFive)).isEmpty();
    Dl4jAutoencoder wrapped = Dl4jAutoencoder.wrap(fiveByFive, ImageShape.grey(8, 8));
    assertThat(wrapped.inference().usesSubPixelTail()).isFalse();
    assertThat(wrapped.reconstruct(org.drift4j.testkit.SyntheticImages.noise(ImageShape.grey(8, 8), 2, 1))).hasNumberOfRows(2);
  }

  @Test
  void trainedAndWrappedReferenceModelsRunTheSubPixelFormAndReconstructAsTheirNetwork() {
    Dl4jAutoencoder trained = TinyModels.trained().autoencoder();
    assertThat(trained.inference().usesSubPixelTail()).isTrue();
    MultiLayerNetwork asWritten = trained.multiLayerNetwork();
    ImageBatch batch = TinyModels.blobs(20, 9);
    CNN2DFormat format = CNN2DFormat.valueOf(trained.info().dataFormat());
    float[][] expected = Networks.toRows(asWritten.output(Networks.toArray(batch, format), false), format, 20,
        TinyModels.SHAPE.size());
    assertThat(Networks.maxDifference(expected, trained.reconstruct(batch))).isLessThan(1e-5);
    assertThat(Dl4jAutoencoder.wrap(asWritten, TinyModels.SHAPE, format, Dl4jConfig.ofDefaults()).inference().usesSubPixelTail()).isTrue();
  }

  private static double conv3x3(float[] image, int channels, int h, int w, float[] kernel, int out, int y, int x) {
    double sum = 0;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < 3; ky++) {
        for (int kx = 0; kx < 3; kx++) {
          int yy = y + ky - 1;
          int xx = x + kx - 1;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
            sum += kernel[((out * channels + c) * 3 + ky) * 3 + kx] * image[(c * h + yy) * w + xx];
          }
        }
      }
    }
    return sum;
  }

  private static float[] floats(SplittableRandom random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }
}
